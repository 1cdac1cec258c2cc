import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BAD_FRAMES_PER_LINK, MAX_CHUNK_REQUEST, MAX_HISTORY_BATCH, MAX_PEER_FRAME_BYTES, signChatMessage } from '../src/index';
import { attachRawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

const GARBAGE = [
  'not json',
  '',
  '[1,2]',
  'null',
  '{"type":42}',
  '{"type":"launch-missiles"}',
  '{"type":"ping","nonce":"short","t":1}',
  '{"type":"chat","hops":1,"message":{}}',
  '{"type":"hello-proof","signature":"AAAA","extra":1}',
  '{"type":"typing","showMs":"5000"}',
  '{"type":"typing","showMs":99999999}',
  // relay-signal without the originator's key and signature; room handshake frames out of shape
  '{"type":"relay-signal","id":"00000003-0000-4000-8000-000000000001","from":"00000001-0000-4000-8000-000000000001","to":"00000001-0000-4000-8000-000000000002","hops":1,"data":{}}',
  '{"type":"room-proof","scheme":"ROOM KEY","proof":"AAAA"}',
  '{"type":"room-auth","peerId":"not-an-id","nonce":"AAAAAAAAAAAAAAAAAAAAAA"}',
  // broadcast-tree frames out of shape: an empty announcement, a non-id, a prune with a payload
  '{"type":"ihave","ids":[]}',
  '{"type":"graft","ids":["not-an-event-id"]}',
  '{"type":"prune","ids":[]}',
  // membership shuffles out of shape: no peers, a walk too long, a reply with a non-id
  '{"type":"shuffle","walk":"WWWWWWWWWWWWWWWWWWWWWW","ttl":2,"peers":[]}',
  '{"type":"shuffle","walk":"WWWWWWWWWWWWWWWWWWWWWW","ttl":99,"peers":["00000001-0000-4000-8000-000000000001"]}',
  '{"type":"shuffle-reply","walk":"WWWWWWWWWWWWWWWWWWWWWW","peers":["not-an-id"]}',
  // file frames out of shape: a file id that is no event hash, a request past MAX_CHUNK_REQUEST, a negative index
  '{"type":"file-query","file":"not-a-hash"}',
  `{"type":"file-req","file":"${'A'.repeat(43)}","indexes":[${Array.from({ length: MAX_CHUNK_REQUEST + 1 }, (_, i) => i).join(',')}]}`,
  `{"type":"file-none","file":"${'A'.repeat(43)}","indexes":[-1]}`,
  ' '.repeat(MAX_PEER_FRAME_BYTES + 1),
];

describe('inbound validation', () => {
  it('drops and counts malformed frames, and closes a link after repeated garbage', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimPeer];
    const raw = await attachRawPeer(a, peerIdOf(50), { handshake: false });
    for (let i = 0; i < MAX_BAD_FRAMES_PER_LINK - 1; i++) raw.sendRaw(GARBAGE[i % GARBAGE.length] ?? '');
    await eventually(() => expect(a.mesh.counters().malformedDropped).toBe(MAX_BAD_FRAMES_PER_LINK - 1));
    expect(raw.closed()).toBe(false);
    raw.sendRaw('one too many');
    await eventually(() => expect(raw.closed()).toBe(true));
    expect(a.mesh.counters().abusiveLinksClosed).toBe(1);
  });

  it('keeps a link that sent a few bad frames and still accepts its good ones', async () => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const raw = await attachRawPeer(a, peerIdOf(51), { handshake: true, identity: b.identity });
    await eventually(() => expect(onlineCount(a)).toBe(1));
    for (const frame of GARBAGE.slice(0, 5)) raw.sendRaw(frame);
    const message = await signChatMessage(b.identity, {
      id: uuid(9, 1), room: ROOM, author: peerIdOf(51), seq: 1, lamport: 1, sentAt: 0, name: 'raw', body: 'fine',
      publicKey: b.identity.publicKey,
    });
    raw.send({ type: 'chat', hops: 1, message });
    await eventually(() => expect(a.received.map((m) => m.id)).toEqual([message.id]));
    expect(a.mesh.counters().malformedDropped).toBe(5);
  });

  it('skips frame types it does not know from an authenticated peer without closing the link', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimPeer];
    const raw = await attachRawPeer(a, peerIdOf(52), { handshake: true });
    await eventually(() => expect(onlineCount(a)).toBe(1));
    for (let i = 0; i < MAX_BAD_FRAMES_PER_LINK + 5; i++) raw.sendRaw('{"type":"from-the-future","x":1}');
    await eventually(() => expect(a.mesh.counters().malformedDropped).toBe(MAX_BAD_FRAMES_PER_LINK + 5));
    expect(raw.closed()).toBe(false);
    expect(onlineCount(a)).toBe(1);
  });

  it('accepts a history-req limit of 1..MAX_HISTORY_BATCH and drops any other as malformed', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimPeer];
    const raw = await attachRawPeer(a, peerIdOf(55), { handshake: true });
    await eventually(() => expect(onlineCount(a)).toBe(1));
    const answers = (): number => raw.inbox.filter((f) => f.type === 'history-batch').length;
    for (const limit of [1, MAX_HISTORY_BATCH]) raw.sendRaw(JSON.stringify({ type: 'history-req', vector: {}, limit }));
    await eventually(() => expect(answers()).toBe(2));
    for (const limit of ['0', String(MAX_HISTORY_BATCH + 1), '1.5', '"3"', 'null', '-1']) {
      raw.sendRaw(`{"type":"history-req","vector":{},"limit":${limit}}`);
    }
    await eventually(() => expect(a.mesh.counters().malformedDropped).toBe(6));
    expect(answers()).toBe(2);
  });

  it('answers file frames of an open link when no file swarm is attached by ignoring them, and keeps the link', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimPeer];
    const raw = await attachRawPeer(a, peerIdOf(56), { handshake: true });
    await eventually(() => expect(onlineCount(a)).toBe(1));
    for (let i = 0; i < MAX_BAD_FRAMES_PER_LINK + 5; i++) raw.send({ type: 'file-query', file: 'A'.repeat(43) });
    raw.send({ type: 'name', name: 'still here' });
    await eventually(() => expect(a.mesh.peers()[0]?.name).toBe('still here'));
    expect(raw.closed()).toBe(false);
    expect(a.mesh.counters().malformedDropped).toBe(0);
  });

  it('accepts no chat from a link before its handshake completes', async () => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const genuine = await b.mesh.send('sent before any link');
    const raw = await attachRawPeer(a, peerIdOf(52), { handshake: false });
    raw.send({ type: 'chat', hops: 1, message: genuine });
    raw.send({ type: 'history-req', vector: {} });
    await eventually(() => expect(a.mesh.counters().malformedDropped).toBe(2));
    expect(a.received).toEqual([]);
    expect(raw.inbox.map((f) => f.type)).toEqual(['hello']);
  });

  it('drops a message with a bad signature, counts it, and does not forward it', async () => {
    net = await createSimNetwork({ size: 3 });
    const [a, b] = net.peers as [SimPeer, SimPeer, SimPeer];
    net.connect(0, 2);
    const genuine = await b.mesh.send('original');
    const raw = await attachRawPeer(a, peerIdOf(53), { handshake: true });
    await eventually(() => expect(onlineCount(a)).toBe(2));
    raw.send({ type: 'chat', hops: 1, message: { ...genuine, body: 'altered' } });
    await eventually(() => expect(a.mesh.counters().badSignatureDropped).toBe(1));
    expect(a.received).toEqual([]);
    expect(a.mesh.counters().forwarded).toBe(0);
    // The forged copy did not poison the id: the genuine message still gets through afterwards.
    raw.send({ type: 'chat', hops: 1, message: genuine });
    await eventually(() => expect(net!.peers[2]!.received.map((m) => m.body)).toEqual(['original']));
  });

  it('refuses a handshake whose proof does not verify', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimPeer];
    const raw = await attachRawPeer(a, peerIdOf(54), { handshake: false });
    await eventually(() => expect(raw.inbox).toHaveLength(1));
    const hello = raw.inbox[0];
    if (hello?.type !== 'hello') throw new Error('expected hello');
    raw.send({ ...hello, peerId: peerIdOf(54), nonce: 'A'.repeat(22) }); // someone else's key...
    raw.send({ type: 'hello-proof', signature: 'B'.repeat(86) }); // ...without its private half
    await eventually(() => expect(raw.closed()).toBe(true));
    expect(a.mesh.counters().handshakeFailures).toBe(1);
    expect(onlineCount(a)).toBe(0);
  });
});
