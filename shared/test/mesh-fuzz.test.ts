import { afterEach, describe, expect, it } from 'vitest';
import {
  type RoomEvent,
  createIdentity,
  createSignatureVerifier,
  generateIdentityKeyPair,
  createRoomKeyProof,
  type PeerMessage,
  PROTOCOL_VERSION,
  signRelaySignal,
  utf8Encode,
  verifyEvent,
} from '../src/index';
import { attachRawPeer, type RawPeer } from './helpers/raw-peer';
import { createFileSwarm, type KeepingFileSwarm } from '../src/files/index';
import { encodeChunkFrame, encodeHashesFrame } from '../src/files/file-frames';
import { createMemoryChunkStore } from '../src/testing/index';
import { plainCodec } from '../src/index';
import { manifestOf, memorySource, randomBytesOf } from './helpers/files';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, seededRandom, type SimNetwork, type SimPeer } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

const FRAMES = 10_000;
const SEED = 20_260_101;

/**
 * Valid frames of every type and every event kind, to be mutated: the fuzzer starts from the protocol's
 * real shapes (a reaction, an edit, a delete, the redacted header a delete leaves, a kind from the future).
 */
function seeds(genuine: RoomEvent, hello: PeerMessage, kinds: readonly RoomEvent[], signal: PeerMessage, file: string): PeerMessage[] {
  return [
    signal,
    { type: 'room-auth', peerId: peerIdOf(4997), nonce: 'A'.repeat(22) },
    { type: 'room-proof', scheme: 'room-key-mac', proof: 'C'.repeat(43) },
    ...kinds.map((message): PeerMessage => ({ type: 'chat', hops: 1, message })),
    hello,
    { type: 'hello-proof', signature: 'A'.repeat(86) },
    { type: 'ping', nonce: 'A'.repeat(22), t: 5 },
    { type: 'pong', nonce: 'A'.repeat(22), t: 5 },
    { type: 'chat', hops: 2, message: genuine },
    { type: 'name', name: 'fuzzy' },
    { type: 'typing', showMs: 5_000 },
    { type: 'history-req', vector: { [genuine.author]: 3 } },
    { type: 'history-req', vector: { [genuine.author]: 1 }, limit: 3 },
    { type: 'history-batch', messages: [genuine], more: true },
    { type: 'ihave', ids: [genuine.id, kinds[0]?.id ?? genuine.id] },
    { type: 'graft', ids: [genuine.id] },
    { type: 'graft', ids: [] },
    { type: 'prune' },
    { type: 'shuffle', walk: 'W'.repeat(22), ttl: 3, peers: [peerIdOf(4998), peerIdOf(4999)] },
    { type: 'shuffle', walk: 'V'.repeat(22), ttl: 0, peers: [peerIdOf(4997)] },
    { type: 'shuffle-reply', walk: 'W'.repeat(22), peers: [peerIdOf(4996)] },
    { type: 'file-query', file },
    { type: 'file-have', file, chunks: 12, bits: '__8', bytes: 700_000, chunkSize: 65_536 },
    { type: 'file-none', file, indexes: [1, 2] },
    { type: 'file-hashes-req', file, from: 0, count: 12 },
    { type: 'file-req', file, indexes: [0, 5, 11] },
  ];
}

async function fileSwarms(network: SimNetwork): Promise<{ a: KeepingFileSwarm; b: KeepingFileSwarm }> {
  const make = (peer: SimPeer) => createFileSwarm({ mesh: peer.mesh, store: createMemoryChunkStore(), clock: network.clock, codec: plainCodec, options: { chunkSize: 1024 } });
  const [a, b] = network.peers as [SimPeer, SimPeer];
  return { a: make(a), b: make(b) };
}

const fuzzSource = (size: number, seed: number) => memorySource(randomBytesOf(size, seed));

const SNIPPETS = ['null', '-1', '1e308', '9007199254740993', '""', '"\\u0000"', '[]', '{}', 'true', '"__proto__"', '{"__proto__":{"x":1}}', '"é\\ud800"'];

function mutate(frame: string, rnd: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const at = Math.floor(rnd() * frame.length);
  switch (Math.floor(rnd() * 8)) {
    case 0: // flip one character
      return frame.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 95)) + frame.slice(at + 1);
    case 1: // truncate
      return frame.slice(0, at);
    case 2: // delete a range
      return frame.slice(0, at) + frame.slice(at + Math.floor(rnd() * 20));
    case 3: // replace a value after a colon with a hostile snippet
      return frame.replace(/:("[^"]*"|-?\d+(\.\d+)?|true|false|null)/g, (m) => (rnd() < 0.3 ? `:${pick(SNIPPETS)}` : m));
    case 4: // splice a snippet anywhere
      return frame.slice(0, at) + pick(SNIPPETS) + frame.slice(at);
    case 5: // deep nesting
      return '['.repeat(1 + Math.floor(rnd() * 5000)) + frame;
    case 6: // random printable and non-BMP noise
      return Array.from({ length: Math.floor(rnd() * 200) }, () => String.fromCodePoint(Math.floor(rnd() * 0x1ffff))).join('');
    default: // a valid frame unchanged (replays, out-of-order handshakes)
      return frame;
  }
}

describe('fuzzing inbound frames', () => {
  it(`survives ${FRAMES} random and mutated frames, delivering only authentic messages`, async () => {
    net = await createSimNetwork({ size: 2, options: { seenMaxEntries: 200 } });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(a)).toBe(1));
    const genuine = await b.mesh.send('genuine');
    const kinds: RoomEvent[] = [
      await b.mesh.publish({ kind: 'reaction', target: genuine.id, body: '{"emoji":"👍"}' }),
      await b.mesh.publish({ kind: 'edit', target: genuine.id, body: '{"text":"edited"}' }),
      await b.mesh.publish({ kind: 'poll', body: '{"question":"?"}' }),
    ];
    const doomed = await b.mesh.send('doomed');
    await b.mesh.publish({ kind: 'delete', target: doomed.id, body: '' });
    const header = await b.store.get(ROOM, doomed.id);
    if (header) kinds.push(header);
    await eventually(() => expect(a.received).toHaveLength(6));
    // A holds a file, so fuzzed file requests reach real chunks; and it fetches one from B, so fuzzed
    // haves and chunks reach a running download.
    const files = await fileSwarms(net);
    const held = await files.a.share(fuzzSource(3_000, 1));
    const wanted = await files.b.share(fuzzSource(3_000, 2));
    if (!held.ok || !wanted.ok) throw new Error('share failed');
    files.a.fetch(wanted.value, await manifestOf(wanted.value));
    const fuzzer = await createIdentity(await generateIdentityKeyPair());
    const rnd = seededRandom(SEED);
    // A validly signed relayed offer to A: mutations must never get a changed one admitted.
    const content = { id: '00000009-0000-4000-8000-000000000001', from: peerIdOf(4999), to: a.id, data: { type: 'offer', sdp: 'v=0' } };
    const signal: PeerMessage = {
      type: 'relay-signal', ...content, hops: 1, publicKey: fuzzer.publicKey, signature: (await signRelaySignal(fuzzer, ROOM, content)) ?? '',
    };
    const admitted: unknown[] = [];
    a.mesh.on('relay-signal', ({ data }) => admitted.push(data));

    let raw: RawPeer | null = null;
    let links = 0;
    const fresh = async (): Promise<RawPeer> => {
      links++;
      // Half the fuzz links authenticate first, so the post-handshake handlers are fuzzed too.
      const peer = await attachRawPeer(a, peerIdOf(5000 + links), { handshake: links % 2 === 0, identity: fuzzer });
      await eventually(() => expect(peer.inbox.length).toBeGreaterThan(0));
      return peer;
    };
    let delivered = 0;
    while (delivered < FRAMES) {
      if (!raw || raw.closed()) raw = await fresh();
      const hello = raw.inbox.find((f) => f.type === 'hello') ?? { type: 'name', name: 'x' };
      const frames = seeds(genuine, hello, kinds, signal, rnd() < 0.5 ? held.value.id : wanted.value.id);
      const base = JSON.stringify(frames[Math.floor(rnd() * frames.length)]);
      // A refused send means the mesh already cut this link: the next frame goes over a fresh one.
      if (raw.sendRaw(mutate(base, rnd))) delivered++;
      // Let the memory wire hand the frame over (a microtask) before the next, like a paced channel.
      await Promise.resolve();
    }

    // Still healthy: an honest peer's new message arrives, and everything delivered is authentic.
    const after = await b.mesh.send('still alive');
    await eventually(() => expect(a.received.map((m) => m.id)).toContain(after.id));
    const verifier = createSignatureVerifier();
    for (const m of a.received) {
      expect(await verifyEvent(verifier, m)).toBe('ok');
      expect(m.room).toBe(ROOM);
    }
    expect(new Set(a.received.map((m) => m.id)).size).toBe(a.received.length);
    // Only the genuine signal's payload ever reached the app (its replays are de-duplicated by id).
    for (const data of admitted) expect(data).toEqual(content.data);
    const memory = a.mesh.memory();
    expect(memory.seenIds).toBeLessThanOrEqual(200);
    // Fuzz links that were cut are gone; at most the last one and B's remain.
    expect(memory.links).toBeLessThanOrEqual(2);
    expect(links).toBeGreaterThan(1);
    expect(a.mesh.counters().malformedDropped).toBeGreaterThan(FRAMES / 4);
  }, 60_000);
});

describe('fuzzing binary frames', () => {
  it('survives 3000 random and mutated binary frames, storing only the chunks it asked for', async () => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    const files = await fileSwarms(net);
    const wanted = await files.b.share(fuzzSource(20_000, 3));
    if (!wanted.ok) throw new Error('share failed');
    const rnd = seededRandom(SEED + 1);
    const fuzzer = await createIdentity(await generateIdentityKeyPair());
    const chunk = encodeChunkFrame(wanted.value.id, 0, randomBytesOf(1024, 4))!;
    const hashes = encodeHashesFrame(wanted.value.id, 0, [new Uint8Array(32), new Uint8Array(32).fill(1)])!;
    let raw: RawPeer | null = null;
    let links = 0;
    let delivered = 0;
    // A download of B's file runs while the fuzz links hit A, and neither fuzz link holds it.
    files.a.fetch(wanted.value, await manifestOf(wanted.value));
    while (delivered < 3_000) {
      if (!raw || raw.closed()) {
        raw = await attachRawPeer(a, peerIdOf(6000 + ++links), { handshake: true, identity: fuzzer });
        await eventually(() => expect(onlineCount(a)).toBe(1));
      }
      const base = rnd() < 0.5 ? chunk : hashes;
      const bytes = base.slice(0, Math.floor(rnd() * (base.length + 1)));
      for (let i = 0; i < 3; i++) if (bytes.length > 0) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      if (raw.wire.b.sendBytes(bytes)) delivered++;
      await Promise.resolve();
    }
    expect(files.a.counters().unsolicitedFrames).toBeGreaterThan(100);
    expect(files.a.counters().chunksStored).toBe(0);
    net.connect(0, 1);
    await eventually(() => expect(files.a.state(wanted.value.id)?.phase).toBe('complete'), 10_000);
    expect(b.mesh.counters().malformedDropped).toBe(0);
  }, 30_000);
});

describe('fuzzing a private room', () => {
  it('lets no random or mutated frame past the room-key gate: fuzz links learn nothing and are closed', async () => {
    const proof = await createRoomKeyProof(utf8Encode('k'.repeat(32)), 'room-id');
    net = await createSimNetwork({ size: 2, roomProofs: () => [proof] });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(a)).toBe(1));
    const genuine = await b.mesh.send('genuine');
    await eventually(() => expect(a.received).toHaveLength(1));
    const fuzzer = await createIdentity(await generateIdentityKeyPair());
    const rnd = seededRandom(SEED + 1);
    const hello: PeerMessage = { type: 'hello', v: PROTOCOL_VERSION, room: ROOM, peerId: peerIdOf(4998), name: 'fuzz', publicKey: fuzzer.publicKey, nonce: 'A'.repeat(22) };
    const templates = seeds(genuine, hello, [], { type: 'getaddr' }, 'A'.repeat(43));
    const fuzzLinks: RawPeer[] = [];
    let raw: RawPeer | null = null;
    for (let delivered = 0; delivered < FRAMES / 5; ) {
      if (!raw || raw.closed()) {
        raw = await attachRawPeer(a, peerIdOf(6000 + fuzzLinks.length), { handshake: true, identity: fuzzer });
        fuzzLinks.push(raw);
      }
      if (raw.sendRaw(mutate(JSON.stringify(templates[Math.floor(rnd() * templates.length)]), rnd))) delivered++;
      await Promise.resolve();
    }
    // Whatever came in, A told the fuzz links nothing but its room-auth and (to a room-auth) its proof.
    const told = new Set(fuzzLinks.flatMap((link) => link.inbox.map((f) => f.type)));
    expect([...told].filter((t) => t !== 'room-auth' && t !== 'room-proof')).toEqual([]);
    expect(a.mesh.counters().roomProofFailures).toBeGreaterThan(0);
    expect(a.mesh.memory().links).toBeLessThanOrEqual(2);
    const after = await b.mesh.send('still alive');
    await eventually(() => expect(a.received.map((m) => m.id)).toContain(after.id));
  }, 60_000);
});
