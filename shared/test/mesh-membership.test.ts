import { describe, expect, it } from 'vitest';
import type { PeerId, PeerMessage } from '../src/index';
import { createMembership } from '../src/mesh/membership';
import { createPassiveView } from '../src/mesh/passive-view';
import { peerIdOf, seededRandom } from './helpers/sim';

const ids = (from: number, n: number): PeerId[] => Array.from({ length: n }, (_, i) => peerIdOf(from + i));

describe('passive view', () => {
  it('holds at most maxPerSource entries from one source (N), dropping its oldest for the next (N+1)', () => {
    const view = createPassiveView({ maxEntries: 100, maxPerSource: 10, random: seededRandom(1) });
    const liar = peerIdOf(9000);
    for (const peer of ids(0, 10)) view.learn(peer, liar);
    expect(view.size()).toBe(10);
    view.learn(peerIdOf(10), liar);
    expect(view.size()).toBe(10);
    expect(view.sourceOf(peerIdOf(0))).toBeUndefined();
    expect(view.sourceOf(peerIdOf(10))).toBe(liar);
  });

  it('holds at most maxEntries (N) and, past it (N+1), evicts from the source holding the most', () => {
    const view = createPassiveView({ maxEntries: 20, maxPerSource: 15, random: seededRandom(1) });
    const [honest, flooder, newcomer] = [peerIdOf(9001), peerIdOf(9002), peerIdOf(9003)];
    for (const peer of ids(0, 5)) view.learn(peer, honest);
    for (const peer of ids(100, 15)) view.learn(peer, flooder);
    expect(view.size()).toBe(20);
    view.learn(peerIdOf(500), newcomer);
    expect(view.size()).toBe(20);
    expect(view.entries().filter(([, source]) => source === honest)).toHaveLength(5);
    expect(view.entries().filter(([, source]) => source === flooder)).toHaveLength(14);
    expect(view.sourceOf(peerIdOf(500))).toBe(newcomer);
  });

  it('picks fairly across sources: a neighbour naming 100 friends is promoted no more often than one naming 3', () => {
    const view = createPassiveView({ maxEntries: 1024, maxPerSource: 128, random: seededRandom(7) });
    const [flooder, honestA, honestB] = [peerIdOf(9001), peerIdOf(9002), peerIdOf(9003)];
    for (const peer of ids(0, 100)) view.learn(peer, flooder);
    for (const peer of ids(200, 3)) view.learn(peer, honestA);
    for (const peer of ids(300, 3)) view.learn(peer, honestB);
    const bySource = new Map<PeerId, number>();
    for (let i = 0; i < 3000; i++) {
      const [, source] = view.pick(() => true) ?? [];
      if (source) bySource.set(source, (bySource.get(source) ?? 0) + 1);
    }
    // Uniform over entries would give the flooder 100/106 of the picks; fair gives each source ~1/3.
    expect(bySource.get(flooder)).toBeLessThan(1200);
    expect(bySource.get(honestA)).toBeGreaterThan(800);
    expect(bySource.get(honestB)).toBeGreaterThan(800);
  });

  it('picks only eligible entries, and nothing when none is', () => {
    const view = createPassiveView({ maxEntries: 10, maxPerSource: 10, random: seededRandom(1) });
    for (const peer of ids(0, 5)) view.learn(peer, peerIdOf(99));
    expect(view.pick((peer) => peer === peerIdOf(3))?.[0]).toBe(peerIdOf(3));
    expect(view.pick(() => false)).toBeUndefined();
  });
});


function membershipOf(self: PeerId, links: readonly PeerId[], shuffleTicks = 1) {
  const sent: Array<{ to: PeerId; message: PeerMessage }> = [];
  const passive = createPassiveView({ maxEntries: 64, maxPerSource: 16, random: seededRandom(3) });
  let walks = 0;
  const membership = createMembership<PeerId>({
    self, passive, openByPeer: () => new Map(links.map((p) => [p, p])),
    send: (to, message) => sent.push({ to, message }) > 0, newWalkId: () => `walk-${++walks}`.padEnd(16, '-'), random: seededRandom(5), shuffleTicks,
  });
  return { membership, passive, sent };
}

describe('membership shuffle', () => {
  const [A, B, C, D] = ids(1, 4) as [PeerId, PeerId, PeerId, PeerId];

  it('starts a walk in a big room only, naming itself first, at most MAX_SHUFFLE_PEERS peers', () => {
    const { membership, passive, sent } = membershipOf(A, [B, C]);
    for (const peer of ids(50, 10)) passive.learn(peer, B);
    membership.tick(false);
    expect(sent).toEqual([]);
    membership.tick(true);
    expect(sent).toHaveLength(1);
    const [first] = sent;
    expect(first?.message.type === 'shuffle' && first.message.peers[0]).toBe(A);
    expect(first?.message.type === 'shuffle' && first.message.peers.length).toBeLessThanOrEqual(8);
  });

  it('forwards a walk with ttl left to another link, and routes the reply back the way it came', () => {
    const { membership, sent } = membershipOf(B, [A, C]);
    membership.onShuffle(A, A, 'walk-a'.padEnd(16, '-'), 3, [A, D]);
    expect(sent).toEqual([{ to: C, message: { type: 'shuffle', walk: 'walk-a'.padEnd(16, '-'), ttl: 2, peers: [A, D] } }]);
    membership.onShuffleReply(C, C, 'walk-a'.padEnd(16, '-'), [peerIdOf(77)]);
    expect(sent[1]).toEqual({ to: A, message: { type: 'shuffle-reply', walk: 'walk-a'.padEnd(16, '-'), peers: [peerIdOf(77)] } });
    // A reply for a walk it never carried (or already answered) goes nowhere.
    membership.onShuffleReply(C, C, 'walk-a'.padEnd(16, '-'), [peerIdOf(78)]);
    expect(sent).toHaveLength(2);
  });

  it('ends a walk at ttl 0: answers with its own passive peers and keeps the sample, attributed to the link it came over', () => {
    const { membership, passive, sent } = membershipOf(B, [A, C]);
    passive.learn(peerIdOf(60), C);
    membership.onShuffle(A, A, 'walk-b'.padEnd(16, '-'), 0, [D, peerIdOf(61)]);
    expect(sent).toEqual([{ to: A, message: { type: 'shuffle-reply', walk: 'walk-b'.padEnd(16, '-'), peers: [peerIdOf(60)] } }]);
    expect(passive.sourceOf(D)).toBe(A);
    expect(passive.sourceOf(peerIdOf(61))).toBe(A);
  });

  it('takes one shuffle per link per tick: a neighbour cannot pump walks through us', () => {
    const { membership, sent } = membershipOf(B, [A, C]);
    for (let i = 0; i < 10; i++) membership.onShuffle(A, A, `walk-${i}`.padEnd(16, '-'), 3, [D]);
    expect(sent).toHaveLength(1);
    membership.tick(false);
    membership.onShuffle(A, A, 'walk-next'.padEnd(16, '-'), 3, [D]);
    expect(sent).toHaveLength(2);
  });

  it('learns the peers of its own walk’s reply into the passive view, attributed to the link that brought it', () => {
    const { membership, passive, sent } = membershipOf(A, [B]);
    membership.tick(true);
    const walk = sent[0]?.message.type === 'shuffle' ? sent[0].message.walk : '';
    membership.onShuffleReply(B, B, walk, [C, D, A]);
    expect(passive.sourceOf(C)).toBe(B);
    expect(passive.sourceOf(D)).toBe(B);
    expect(passive.sourceOf(A)).toBeUndefined();
    expect(membership.pendingWalks()).toBe(0);
  });

  it('forgets walks whose reply never came within two ticks', () => {
    const { membership } = membershipOf(B, [A, C], 0);
    membership.onShuffle(A, A, 'walk-c'.padEnd(16, '-'), 3, [D]);
    expect(membership.pendingWalks()).toBe(1);
    membership.tick(true);
    membership.tick(true);
    expect(membership.pendingWalks()).toBe(0);
  });
});
