import type { PeerId } from '../ids';
import { remember } from './bounded-maps';
import type { LinkCloseReason } from './mesh-errors';

/** Close reasons that earn the peer a timed ban. */
const BANNING: ReadonlySet<LinkCloseReason> = new Set<LinkCloseReason>(['ABUSE', 'OVER_BUDGET']);

/** Peers banned this many at most (oldest ban forgotten first): a flood of fresh ids cannot grow it. */
const MAX_BANNED_PEERS = 1024;

/**
 * Timed bans of peers whose link was closed for ABUSE or OVER_BUDGET. Timed, not forever: a peer may
 * have been framed by others (issue 8, attack 3) or have stopped, and a permanent split of the room
 * is worse than a hostile peer trying again after `banMs` and being cut again.
 */
export interface PeerBans {
  /** Bans the peer when `reason` warrants it; the ban's end (clock ms), or null when not banned. */
  onClosed(peerId: PeerId, reason: LinkCloseReason): number | null;
  /** When the ban on `peerId` ends (clock ms), or null when it is not banned. */
  until(peerId: PeerId): number | null;
}

export function createPeerBans(deps: { now(): number; banMs: number }): PeerBans {
  const bans = new Map<PeerId, number>();
  const until = (peerId: PeerId): number | null => {
    const end = bans.get(peerId);
    if (end === undefined) return null;
    if (end > deps.now()) return end;
    bans.delete(peerId);
    return null;
  };
  return {
    onClosed(peerId, reason) {
      if (!BANNING.has(reason) || deps.banMs <= 0) return null;
      const end = deps.now() + deps.banMs;
      remember(bans, peerId, end, MAX_BANNED_PEERS);
      return end;
    },
    until,
  };
}
