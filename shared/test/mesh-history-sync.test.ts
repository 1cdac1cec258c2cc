import { afterEach, describe, expect, it } from 'vitest';
import { type RoomEvent, createMesh, createSignatureVerifier } from '../src/index';
import { attachRawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

async function sendMany(peer: SimPeer, count: number): Promise<RoomEvent[]> {
  const out: RoomEvent[] = [];
  for (let i = 0; i < count; i++) out.push(await peer.mesh.send(`${peer.index}/${i}`));
  return out;
}

const ids = (messages: readonly RoomEvent[]) => messages.map((m) => m.id).sort();

describe('history sync', () => {
  // The next three count batches of the oldest-first exchange; newest-first has its own tests below.
  it('sends each side only what the other lacks, in bounded batches', async () => {
    net = await createSimNetwork({ size: 4, options: { historyBatchSize: 5, historyNewestFirst: 0 } });
    const [a, b, c, d] = net.peers as [SimPeer, SimPeer, SimPeer, SimPeer];
    const fromA = await sendMany(a, 30);
    const fromC = await sendMany(c, 5);
    const fromD = await sendMany(d, 4);
    for (const m of fromC) await a.store.put(m); // A already holds C's stream
    for (const m of [...fromA.slice(0, 10), ...fromD]) await b.store.put(m); // B holds A 1..10 and D
    b.received.length = 0;
    a.received.length = 0;

    net.connect(0, 1);
    const all = ids([...fromA, ...fromC, ...fromD]);
    await eventually(() => {
      expect(ids(a.store.messages(ROOM))).toEqual(all);
      expect(ids(b.store.messages(ROOM))).toEqual(all);
    });
    expect(a.mesh.counters().historyMessagesSent).toBe(20 + 5);
    expect(b.mesh.counters().historyMessagesSent).toBe(4);
    expect(ids(b.received)).toEqual(ids([...fromA.slice(10), ...fromC]));
    expect(ids(a.received)).toEqual(ids(fromD));
    expect(b.mesh.counters().duplicatesDropped + a.mesh.counters().duplicatesDropped).toBe(0);
    expect(net.largestBatch()).toBe(5);
    // 25 messages in batches of 5 from A, one batch of 4 from B: nothing sent twice, no empty extra rounds.
    expect(net.framesByType()['history-batch']).toBe(5 + 1);
  });

  it('fills a gap in an author stream', async () => {
    net = await createSimNetwork({ size: 2, options: { historyBatchSize: 4, historyNewestFirst: 0 } });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const fromA = await sendMany(a, 12);
    for (const m of [...fromA.slice(0, 3), ...fromA.slice(6, 9)]) await b.store.put(m); // holds 1-3, 7-9
    net.connect(0, 1);
    await eventually(() => expect(ids(b.store.messages(ROOM))).toEqual(ids(fromA)));
    // The vector names the highest contiguous seq (3): the first batch (4-7) re-sends 7. B asks for
    // the next batch before storing that one (pipelining), as if holding up to 7, so 8-11 re-sends
    // 8 and 9, which B held from before this session (the held-seqs list only knows this session's
    // gains; see the next test); then 12.
    expect(a.mesh.counters().historyMessagesSent).toBe(9);
    expect(b.mesh.counters().duplicatesDropped).toBe(3);
    expect(net.framesByType()['history-batch']).toBe(3 + 1); // B's answer to A: nothing to send
  });

  it('asks for the next batch while still verifying and storing the current one', async () => {
    net = await createSimNetwork({ size: 2, options: { historyBatchSize: 4, historyNewestFirst: 0 } });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const fromA = await sendMany(a, 12);
    const put = b.store.put;
    const gated: (() => void)[] = [];
    b.store.put = (m) => new Promise<boolean>((resolve) => gated.push(() => resolve(put(m))));
    net.connect(0, 1);
    // A's batches 1-4 and 5-8 (and B's empty answer to A) cross before B stored anything.
    await eventually(() => expect(net!.framesByType()['history-batch']).toBe(3));
    expect(b.received).toEqual([]);
    b.store.put = put;
    for (const release of gated.splice(0)) release();
    await eventually(() => expect(ids(b.store.messages(ROOM))).toEqual(ids(fromA)));
    expect(a.mesh.counters().historyMessagesSent).toBe(12);
    expect(b.received.map((m) => m.seq)).toEqual(fromA.map((m) => m.seq));
  });

  it('does not re-send what the requester gained above a gap during the session', async () => {
    net = await createSimNetwork({ size: 2, options: { historyBatchSize: 4 } });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const fromA = await sendMany(a, 12);
    // B gets 1-3 and 7-9 by flood (through a relay), missing 4-6.
    const relay = await attachRawPeer(b, peerIdOf(50), { handshake: true });
    await eventually(() => expect(onlineCount(b)).toBe(1));
    for (const m of [...fromA.slice(0, 3), ...fromA.slice(6, 9)]) relay.send({ type: 'chat', hops: 1, message: m });
    await eventually(() => expect(b.received).toHaveLength(6));
    net.connect(0, 1);
    await eventually(() => expect(ids(b.store.messages(ROOM))).toEqual(ids(fromA)));
    // The request lists 7-9 as held: the answers carry 4-6 and 10-12 only.
    expect(a.mesh.counters().historyMessagesSent).toBe(6);
    expect(b.mesh.counters().duplicatesDropped).toBe(0);
    expect(b.received.slice(6).map((m) => m.seq)).toEqual([4, 5, 6, 10, 11, 12]);
  });

  it('sends a peer far behind the newest events first, then the rest oldest first, each once', async () => {
    net = await createSimNetwork({ size: 2, options: { historyBatchSize: 4, historyNewestFirst: 3 } });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const fromA = await sendMany(a, 12);
    net.connect(0, 1);
    await eventually(() => expect(ids(b.store.messages(ROOM))).toEqual(ids(fromA)));
    expect(b.received.map((m) => m.seq)).toEqual([10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.mesh.counters().historyMessagesSent).toBe(12);
    expect(b.mesh.counters().duplicatesDropped).toBe(0);
  });

  it('backfills a returning peer that already holds the newest events (newest first only once per link)', async () => {
    net = await createSimNetwork({ size: 2, options: { historyBatchSize: 4, historyNewestFirst: 3 } });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const fromA = await sendMany(a, 12);
    // B kept 10-12 from an earlier visit; its held list (this session's gains) is empty.
    for (const m of fromA.slice(9)) await b.store.put(m);
    net.connect(0, 1);
    await eventually(() => expect(ids(b.store.messages(ROOM))).toEqual(ids(fromA)));
  });

  it('heals a partition of a partial mesh without losing a message', async () => {
    net = await createSimNetwork({ size: 4 });
    const [a, b, c, d] = net.peers as [SimPeer, SimPeer, SimPeer, SimPeer];
    net.connect(0, 1);
    const middle = net.connect(1, 2);
    net.connect(2, 3);
    await eventually(() => expect(onlineCount(b) + onlineCount(c)).toBe(4));
    middle.cut();
    await eventually(() => expect(onlineCount(b) + onlineCount(c)).toBe(2));
    const left = await sendMany(a, 3);
    const right = await sendMany(d, 2);
    await eventually(() => {
      expect(b.received).toHaveLength(3);
      expect(c.received).toHaveLength(2);
    });
    net.connect(1, 2);
    // B and C sync over the new link; then each passes its gains on to its other link (A, D).
    const all = ids([...left, ...right]);
    await eventually(() => {
      for (const p of [a, b, c, d]) expect(ids(p.store.messages(ROOM))).toEqual(all);
    });
  });

  it('resumes the Lamport clock and sequence from the store', async () => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const old = await sendMany(a, 3);
    expect(old.map((m) => m.seq)).toEqual([1, 2, 3]);
    // A "reload" of A: same session id and store, a fresh mesh.
    a.mesh.close();
    const reloaded = createMesh({
      self: { peerId: a.id, name: 'a' }, room: ROOM, identity: a.identity, verifier: createSignatureVerifier(),
      store: a.store, clock: net.clock, newId: () => uuid(3, 1),
    });
    const next = await reloaded.send('after reload');
    reloaded.close();
    expect(next.lamport).toBeGreaterThan(Math.max(...old.map((m) => m.lamport)));
    expect(next.seq).toBe(4);
    // A peer that only received A's messages also resumes its clock past them.
    for (const m of old) await b.store.put(m);
    const fresh = createMesh({
      self: { peerId: b.id, name: 'b' }, room: ROOM, identity: b.identity, verifier: createSignatureVerifier(),
      store: b.store, clock: net.clock, newId: () => uuid(3, 2),
    });
    const own = await fresh.send('first of b');
    fresh.close();
    expect(own.seq).toBe(1);
    expect(own.lamport).toBeGreaterThan(Math.max(...old.map((m) => m.lamport)));
  });
});
