import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESH_OPTIONS, type PeerMessage } from '../src/index';
import { attachRawPeer, type RawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, settle, type SimNetwork, type SimPeer } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

/** Peer 0 linked to peer 1 and to a raw peer: three known peers, past fullMeshUpTo 2, a big room. */
async function bigRoomWithRawPeer(): Promise<{ a: SimPeer; b: SimPeer; raw: RawPeer }> {
  net = await createSimNetwork({ size: 2, crypto: 'instant', options: { fullMeshUpTo: 2 } });
  const [a, b] = net.peers as [SimPeer, SimPeer];
  net.connect(0, 1);
  const raw = await attachRawPeer(a, peerIdOf(30), { handshake: true, identity: b.identity });
  await eventually(() => expect(onlineCount(a)).toBe(2));
  return { a, b, raw };
}

const ofType = <T extends PeerMessage['type']>(raw: RawPeer, type: T): Extract<PeerMessage, { type: T }>[] =>
  raw.inbox.filter((m): m is Extract<PeerMessage, { type: T }> => m.type === type);

describe('broadcast trees on the wire', () => {
  it('tells a new link it speaks trees with an empty graft', async () => {
    const { raw } = await bigRoomWithRawPeer();
    await eventually(() => expect(ofType(raw, 'graft')).toEqual([{ type: 'graft', ids: [] }]));
  });

  it('keeps pushing every message to a peer that never spoke trees, duplicates and all (an older v2 peer)', async () => {
    const { b, raw } = await bigRoomWithRawPeer();
    for (let i = 0; i < 3; i++) {
      await b.mesh.send(`m${i}`);
      await eventually(() => expect(ofType(raw, 'chat')).toHaveLength(i + 1));
      // An older peer floods: the copy comes straight back, a duplicate.
      const copy = ofType(raw, 'chat')[i];
      if (copy) raw.send({ ...copy, hops: copy.hops + 1 });
    }
    expect(ofType(raw, 'prune')).toEqual([]);
    expect(ofType(raw, 'ihave')).toEqual([]);
  });

  it('prunes a tree peer that sent a duplicate, then only announces to it, and answers its graft', async () => {
    const { b, raw } = await bigRoomWithRawPeer();
    raw.send({ type: 'graft', ids: [] });
    const first = await b.mesh.send('first');
    await eventually(() => expect(ofType(raw, 'chat')).toHaveLength(1));
    raw.send({ type: 'chat', hops: 2, message: first });
    await eventually(() => expect(ofType(raw, 'prune')).toHaveLength(1));

    const second = await b.mesh.send('second');
    await settle(net!);
    net!.clock.advance(DEFAULT_MESH_OPTIONS.ihaveBatchMs);
    await eventually(() => expect(ofType(raw, 'ihave')).toEqual([{ type: 'ihave', ids: [second.id] }]));
    expect(ofType(raw, 'chat')).toHaveLength(1);

    raw.send({ type: 'graft', ids: [second.id] });
    await eventually(() => expect(ofType(raw, 'chat').map((c) => c.message.id)).toEqual([first.id, second.id]));
    // Grafted: the link is a tree link again, and the next message is pushed.
    const third = await b.mesh.send('third');
    await eventually(() => expect(ofType(raw, 'chat').map((c) => c.message.id)).toContain(third.id));
  });

  it('grafts an announcing peer when the announced event does not come over the tree', async () => {
    const { a, raw } = await bigRoomWithRawPeer();
    raw.send({ type: 'graft', ids: [] });
    const missing = 'A'.repeat(43);
    raw.send({ type: 'ihave', ids: [missing] });
    await settle(net!);
    net!.clock.advance(DEFAULT_MESH_OPTIONS.graftTimeoutMs);
    await eventually(() => expect(ofType(raw, 'graft')).toContainEqual({ type: 'graft', ids: [missing] }));
    expect(a.mesh.memory().links).toBe(2);
  });
});
