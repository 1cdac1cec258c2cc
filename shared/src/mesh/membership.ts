import type { PeerId } from '../ids';
import { MAX_SHUFFLE_PEERS, MAX_SHUFFLE_TTL } from '../protocol/limits';
import type { PeerMessage } from '../protocol/peer-messages';
import { remember } from './bounded-maps';
import type { PassiveView } from './passive-view';

/**
 * HyParView's shuffle (Leitão, Pereira and Rodrigues 2007) over the room's links: every `shuffleTicks`
 * a peer of a big room sends a small sample — itself, a few links, a few passive peers — on a random
 * walk of `MAX_SHUFFLE_TTL` hops. The peer where the walk ends keeps the sample in its passive view and
 * answers with a sample of its own, which travels back along the walk. Passive views so keep being
 * refreshed with peers from far across the room, and a peer whose links drop (a mass departure) has
 * live candidates to promote without the signal server (peer exchange's considerLinks promotes).
 *
 * Peers learnt from a shuffle or its reply are attributed to the link the frame came over: a hostile
 * neighbour can fill only its share of the passive view (see PassiveView).
 */
export interface Membership<S> {
  onShuffle(session: S, from: PeerId, walk: string, ttl: number, peers: readonly PeerId[]): void;
  onShuffleReply(session: S, from: PeerId, walk: string, peers: readonly PeerId[]): void;
  /** Periodic: forgets stale walks; starts a walk every `shuffleTicks` while the room is big. */
  tick(bigRoom: boolean): void;
  /** Walks passing through us, waiting for their reply (bounded; tests). */
  pendingWalks(): number;
}

export interface MembershipDeps<S> {
  self: PeerId;
  passive: PassiveView;
  openByPeer(): Map<PeerId, S>;
  send(session: S, message: PeerMessage): boolean;
  newWalkId(): string;
  random(): number;
  /** Ticks between own shuffles; 0 = never. */
  shuffleTicks: number;
}

/** Links and passive peers named by an own shuffle (HyParView's ka and kp), besides ourselves. */
const SHUFFLE_ACTIVE = 3;
const SHUFFLE_PASSIVE = MAX_SHUFFLE_PEERS - 1 - SHUFFLE_ACTIVE;
/** Walks remembered for routing replies back; older ones are forgotten (the reply is then dropped). */
const MAX_PENDING_WALKS = 64;
/** Ticks a walk's route back is kept: a walk takes milliseconds, a tick is seconds. */
const WALK_TICKS = 2;

export function createMembership<S>(deps: MembershipDeps<S>): Membership<S> {
  // Walk id -> the link its shuffle came from (null: our own walk), and ticks left.
  const walks = new Map<string, { back: S | null; ticks: number }>();
  // Links that already sent a shuffle this tick: one each, so a neighbour cannot make us its walk pump.
  const shuffledBy = new Set<PeerId>();
  let ticksToShuffle = deps.shuffleTicks;

  const randomOf = <T>(items: readonly T[]): T | undefined => items[Math.floor(deps.random() * items.length)];
  const shuffled = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(deps.random() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };

  function learn(peers: readonly PeerId[], source: PeerId): void {
    const open = deps.openByPeer();
    for (const peer of peers) if (peer !== deps.self && !open.has(peer)) deps.passive.learn(peer, source);
  }

  function track(walk: string, back: S | null): void {
    remember(walks, walk, { back, ticks: WALK_TICKS }, MAX_PENDING_WALKS);
  }

  function startWalk(): void {
    const open = [...deps.openByPeer()];
    const first = randomOf(open);
    if (first === undefined) return;
    const links = shuffled(open.map(([peer]) => peer)).slice(0, SHUFFLE_ACTIVE);
    const peers = [deps.self, ...links, ...deps.passive.sample(SHUFFLE_PASSIVE)].slice(0, MAX_SHUFFLE_PEERS);
    const walk = deps.newWalkId();
    track(walk, null);
    deps.send(first[1], { type: 'shuffle', walk, ttl: MAX_SHUFFLE_TTL - 1, peers });
  }

  return {
    onShuffle(session, from, walk, ttl, peers) {
      if (shuffledBy.has(from) || walks.has(walk)) return;
      shuffledBy.add(from);
      const onward = [...deps.openByPeer()].filter(([peer]) => peer !== from && !peers.includes(peer));
      const next = ttl > 0 ? randomOf(onward) : undefined;
      if (next !== undefined) {
        track(walk, session);
        deps.send(next[1], { type: 'shuffle', walk, ttl: ttl - 1, peers: [...peers] });
        return;
      }
      // The walk ends here: answer with as many of ours, then keep theirs (not ours sent back).
      const answer = deps.passive.sample(peers.length).filter((peer) => !peers.includes(peer));
      deps.send(session, { type: 'shuffle-reply', walk, peers: answer });
      learn(peers, from);
    },
    onShuffleReply(session, from, walk, peers) {
      const pending = walks.get(walk);
      if (pending === undefined) return;
      walks.delete(walk);
      if (pending.back === null) learn(peers, from);
      else deps.send(pending.back, { type: 'shuffle-reply', walk, peers: [...peers] });
    },
    tick(bigRoom) {
      shuffledBy.clear();
      for (const [walk, pending] of walks) if (--pending.ticks <= 0) walks.delete(walk);
      if (!bigRoom || deps.shuffleTicks === 0 || --ticksToShuffle > 0) return;
      ticksToShuffle = deps.shuffleTicks;
      startWalk();
    },
    pendingWalks: () => walks.size,
  };
}
