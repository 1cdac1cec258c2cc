import { utf8Length } from '../crypto/web-crypto';
import type { PeerId } from '../ids';
import { createAuthorBudget } from './author-budget';
import type { RoomEvent } from './mesh-api';
import type { LinkCloseReason } from './mesh-errors';
import { createPeerBans } from './peer-bans';

/**
 * The mesh's per-author budgets (keyed by the author's signing key) and per-peer bans, wired for
 * create-mesh (per-link budgets live in each session).
 */
export interface MeshBudgets {
  /** Per-author budget check for a live (flooded) message. */
  admitLive(message: RoomEvent): boolean;
  /** The same for a message from history sync (charged only for authors throttled live lately). */
  admitHistory(message: RoomEvent): boolean;
  bannedUntil(peerId: PeerId): number | null;
  /** A link to `peerId` closed; `opened`: its identity was proven. Bans the peer if the reason warrants. */
  onClosed(peerId: PeerId, opened: boolean, reason: LinkCloseReason): void;
}

export interface MeshBudgetsDeps {
  now(): number;
  banMs: number;
  maxAuthors: number;
  /** `publicKey`: the budget's key; `author`: the author id of the message that went over it. */
  onThrottled(publicKey: string, author: string, until: number): void;
  onBanned(peerId: PeerId, until: number, reason: LinkCloseReason): void;
}

export function createMeshBudgets(deps: MeshBudgetsDeps): MeshBudgets {
  const bans = createPeerBans({ now: deps.now, banMs: deps.banMs });
  // The budget is per signing key, not per author id: one key may write under many session ids (v1)
  // or stream slots (v2), and minting a fresh id must not mint a fresh budget.
  // The message being charged (admit runs synchronously), to name its author in the event.
  let tripping: RoomEvent | null = null;
  const keys = createAuthorBudget<string>({
    now: deps.now, maxAuthors: deps.maxAuthors,
    onThrottled: (publicKey, until) => tripping && deps.onThrottled(publicKey, tripping.author, until),
  });
  // Only the key, the author id, the size and the clock matter: whatever shape a message takes on the wire.
  const charge = (message: RoomEvent, live: boolean): boolean => {
    tripping = message;
    const bytes = utf8Length(JSON.stringify(message));
    return live ? keys.admit(message.publicKey, bytes) : keys.admitHistory(message.publicKey, bytes);
  };
  return {
    admitLive: (message) => charge(message, true),
    admitHistory: (message) => charge(message, false),
    bannedUntil: bans.until,
    onClosed(peerId, opened, reason) {
      // Only a link that opened (id proven and bound to its key) gets its peer banned: a hello merely
      // claiming someone's id followed by garbage must not get that someone banned.
      const until = opened ? bans.onClosed(peerId, reason) : null;
      if (until !== null) deps.onBanned(peerId, until, reason);
    },
  };
}
