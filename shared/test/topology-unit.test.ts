import { describe, expect, it } from 'vitest';
import { MAX_TOPOLOGY_CLAIMS_PER_LINK, MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK, type PeerId, type PeerMessage, type TopologyEntryFrame } from '../src/index';
import { createTopology } from '../src/mesh/topology';
import { peerIdOf } from './helpers/sim';

/** The topology gossip alone, with sessions as strings and a hand-driven clock. */
function setup(
  minAnnounceMs = 0,
  big?: { links: number; fanout: number; tree: ReadonlySet<PeerId> },
  intervals: { refreshMs(): number; expireMs(): number } = { refreshMs: () => 30_000, expireMs: () => 90_000 },
) {
  let now = 1_000_000;
  const links = big?.links ?? 2;
  const open = new Map<PeerId, string>(Array.from({ length: links }, (_, i) => [peerIdOf(i + 1), `link ${i + 1}`]));
  const sent: Array<{ session: string; message: PeerMessage }> = [];
  const topology = createTopology<string>({
    self: () => ({ peerId: peerIdOf(0), name: 'me' }),
    now: () => now,
    openByPeer: () => open,
    send: (session, message) => sent.push({ session, message }) > 0,
    refreshMs: () => intervals.refreshMs(),
    expireMs: () => intervals.expireMs(),
    minAnnounceMs: () => minAnnounceMs,
    relayFanout: () => big?.fanout ?? Infinity,
    treeLinks: () => big?.tree ?? new Set(),
  });
  const entry = (n: number, version = 1): TopologyEntryFrame => ({ peerId: peerIdOf(n), name: `peer ${n}`, version, neighbours: [] });
  const ownAnnouncements = (): number =>
    sent.filter(({ message }) => message.type === 'topology' && message.entries.some((e) => e.peerId === peerIdOf(0))).length;
  return { topology, sent, entry, ownAnnouncements, advance: (ms: number) => (now += ms) };
}

describe('topology gossip', () => {
  it('frees a link’s claims as its relayed entries are replaced, so the per-link cap counts what it holds now', () => {
    const { topology, entry } = setup();
    const relayed = Array.from({ length: MAX_TOPOLOGY_CLAIMS_PER_LINK }, (_, i) => entry(100 + i));
    for (let i = 0; i < relayed.length; i += 16) topology.onEntries('link 1', peerIdOf(1), relayed.slice(i, i + 16));
    // N claims held: one more is dropped.
    expect(topology.onEntries('link 1', peerIdOf(1), [entry(9_000)])).toBe(1);
    // A newer version of one of them from the other link replaces it there: link 1 holds N - 1 now.
    expect(topology.onEntries('link 2', peerIdOf(2), [entry(100, 2)])).toBe(0);
    expect(topology.onEntries('link 1', peerIdOf(1), [entry(9_000)])).toBe(0);
    expect(topology.onEntries('link 1', peerIdOf(1), [entry(9_001)])).toBe(1);
  });

  it('relays no entry to a peer that hears its owner first-hand: itself, or a neighbour its own entry lists', () => {
    const { topology, sent, entry } = setup();
    // Peer 1 is linked to peer 2 (its own entry says so); peer 2 is linked to us and to peer 1.
    topology.onEntries('link 1', peerIdOf(1), [{ ...entry(1), neighbours: [peerIdOf(0), peerIdOf(2)] }]);
    topology.onEntries('link 2', peerIdOf(2), [{ ...entry(2), neighbours: [peerIdOf(0), peerIdOf(1)] }, entry(60)]);
    topology.tick();
    const relayed = (session: string) =>
      sent.flatMap(({ session: to, message }) => (to === session && message.type === 'topology' ? message.entries.map((e) => e.peerId) : []));
    // Peer 1 gets our entry and peer 60's, not peer 2's (it hears peer 2 itself); peer 2 gets our entry only.
    expect(relayed('link 1').sort()).toEqual([peerIdOf(0), peerIdOf(60)].sort());
    expect(relayed('link 2')).toEqual([peerIdOf(0)]);
  });

  it('keeps the room size current as links vouch and close', () => {
    const { topology, entry } = setup();
    topology.onEntries('link 1', peerIdOf(1), [entry(1), entry(50)]);
    expect(topology.roomSize()).toBe(2); // peer 1 first-hand, peer 50 by one link
    topology.onEntries('link 2', peerIdOf(2), [entry(2), entry(50)]);
    expect(topology.roomSize()).toBe(3); // peer 50 corroborated
    topology.onClosed('link 1');
    expect(topology.roomSize()).toBe(2);
    topology.onClosed('link 2');
    expect(topology.roomSize()).toBe(0);
  });

  it('counts a newer version from one link as that link’s alone, caps what one link alone adds, and forgets expired entries', () => {
    const { topology, entry, advance } = setup();
    topology.onEntries('link 1', peerIdOf(1), [entry(1), entry(50)]);
    topology.onEntries('link 2', peerIdOf(2), [entry(2), entry(50)]);
    expect(topology.roomSize()).toBe(3);
    // Peer 50's next version came over link 2 alone: uncorroborated again until link 1 relays it too.
    topology.onEntries('link 2', peerIdOf(2), [entry(50, 2)]);
    expect(topology.roomSize()).toBe(3);
    topology.onClosed('link 2');
    expect(topology.roomSize()).toBe(1);
    // However many members link 1 alone names, the size grows by at most the cap.
    const named = Array.from({ length: MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK + 5 }, (_, i) => entry(200 + i));
    for (let i = 0; i < named.length; i += 16) topology.onEntries('link 1', peerIdOf(1), named.slice(i, i + 16));
    expect(topology.roomSize()).toBe(1 + MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK);
    // Refreshed entries stay; the rest expire.
    advance(60_000);
    topology.onEntries('link 1', peerIdOf(1), [entry(1, 2), entry(200, 2)]);
    advance(31_000);
    topology.tick();
    expect(topology.roomSize()).toBe(2);
    expect(topology.size()).toBe(2);
  });

  it('asks for its refresh and expiry intervals at every tick: a room grown big refreshes less often and keeps entries longer', () => {
    let refreshMs = 30_000;
    const { topology, entry, ownAnnouncements, advance } = setup(0, undefined, { refreshMs: () => refreshMs, expireMs: () => 3 * refreshMs });
    // Each announcement goes to both links.
    const announcements = () => ownAnnouncements() / 2;
    topology.tick();
    expect(announcements()).toBe(1);
    topology.onEntries('link 1', peerIdOf(1), [entry(1), entry(50)]);
    // The room grew: five times the interval (as for a room of 333 at 450 ms per member).
    refreshMs = 150_000;
    advance(149_000);
    topology.tick();
    expect(announcements()).toBe(1);
    advance(1_000);
    topology.tick();
    expect(announcements()).toBe(2);
    // Entries not refreshed for 3 × 30 s stay: expiry follows the interval too.
    advance(299_000);
    topology.tick();
    expect(topology.list().map((e) => e.peerId)).toContain(peerIdOf(50));
    advance(2_000);
    topology.tick();
    expect(topology.list().map((e) => e.peerId)).not.toContain(peerIdOf(50));
  });

  it('announces each change at once in a small room, and at most once per minAnnounceMs in a big one', () => {
    for (const [gap, expected] of [[0, 4], [5_000, 1]] as const) {
      const { topology, ownAnnouncements, advance } = setup(gap);
      for (let tick = 0; tick < 4; tick++) {
        topology.changed();
        topology.tick();
        advance(1_000);
      }
      // Two links get each announcement.
      expect(ownAnnouncements()).toBe(2 * expected);
      advance(gap);
      topology.tick();
      expect(ownAnnouncements()).toBe(2 * (expected + (gap > 0 ? 1 : 0)));
    }
  });

  it('relays each entry in a big room to its tree links and random others up to the fanout, and its own to every link', () => {
    const { topology, sent, entry } = setup(0, { links: 10, fanout: 4, tree: new Set([peerIdOf(3)]) });
    const relayed = Array.from({ length: 20 }, (_, i) => entry(100 + i));
    topology.onEntries('link 1', peerIdOf(1), relayed);
    topology.tick();
    const receivers = (peerId: PeerId): string[] =>
      sent.filter(({ message }) => message.type === 'topology' && message.entries.some((e) => e.peerId === peerId)).map(({ session }) => session);
    expect(receivers(peerIdOf(0))).toHaveLength(10);
    const spread = new Set<string>();
    for (const { peerId } of relayed) {
      const to = receivers(peerId);
      expect(to).toHaveLength(4);
      expect(to).toContain('link 3');
      expect(to).not.toContain('link 1');
      for (const session of to) spread.add(session);
    }
    // Spread by entry: every other link gets some (no fixed few a relay could count on).
    expect(spread.size).toBe(9);
  });
});
