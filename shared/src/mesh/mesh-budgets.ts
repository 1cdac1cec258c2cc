import { utf8Length } from '../crypto/web-crypto';
import type { PeerId } from '../ids';
import { createAuthorBudget } from './author-budget';
import type { ChatMessage } from './mesh-api';
import type { LinkCloseReason } from './mesh-errors';
import { createPeerBans } from './peer-bans';

/** The mesh's per-author budgets and per-peer bans, wired for create-mesh (per-link budgets live in each session). */
export interface MeshBudgets {
  /** Per-author budget check for a live (flooded) message. */
  admitLive(message: ChatMessage): boolean;
  /** The same for a message from history sync (charged only for authors throttled live lately). */
  admitHistory(message: ChatMessage): boolean;
  bannedUntil(peerId: PeerId): number | null;
  /** A link to `peerId` closed; `opened`: its identity was proven. Bans the peer if the reason warrants. */
  onClosed(peerId: PeerId, opened: boolean, reason: LinkCloseReason): void;
}

export interface MeshBudgetsDeps {
  now(): number;
  banMs: number;
  maxAuthors: number;
  onThrottled(author: PeerId, until: number): void;
  onBanned(peerId: PeerId, until: number, reason: LinkCloseReason): void;
}

export function createMeshBudgets(deps: MeshBudgetsDeps): MeshBudgets {
  const bans = createPeerBans({ now: deps.now, banMs: deps.banMs });
  const authors = createAuthorBudget<PeerId>({ now: deps.now, maxAuthors: deps.maxAuthors, onThrottled: deps.onThrottled });
  // Only the author, the size and the clock matter: whatever shape a chat message takes on the wire.
  const size = (message: ChatMessage): number => utf8Length(JSON.stringify(message));
  return {
    admitLive: (message) => authors.admit(message.author, size(message)),
    admitHistory: (message) => authors.admitHistory(message.author, size(message)),
    bannedUntil: bans.until,
    onClosed(peerId, opened, reason) {
      // Only a link that opened (id proven and bound to its key) gets its peer banned: a hello merely
      // claiming someone's id followed by garbage must not get that someone banned.
      const until = opened ? bans.onClosed(peerId, reason) : null;
      if (until !== null) deps.onBanned(peerId, until, reason);
    },
  };
}
