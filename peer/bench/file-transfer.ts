/**
 * File transfer throughput over one real WebRTC data channel (@roamhq/wrtc, simple-peer), against a
 * bare loop over the same kind of channel. One JSON line: MiB/s of each, their ratio, and how long a chat
 * message sent mid-transfer took to arrive. Run: npm run bench:files-node [-- MiB] (default 32).
 */
import wrtc from '@roamhq/wrtc';
import {
  createIdentity, createMesh, createSignatureVerifier, generateIdentityKeyPair, plainCodec, type PeerId, type RoomName, toPeerId,
} from '@shoal/shared';
import { type ChunkStore, createFileSwarm, DEFAULT_FILE_SWARM_OPTIONS, type FileSource, type FileSwarmOptions } from '@shoal/shared/files';
import { type DataPeer, peerLinkOf } from '@shoal/shared/link';
import { createMemoryChunkStore, createMemoryHistory } from '@shoal/shared/testing';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import SimplePeer from 'simple-peer';
import { nodeClock } from '../src/node-clock';

const MIB = 1024 * 1024;
const size = Number(process.argv[2] ?? 32) * MIB;
const CHUNK = 64 * 1024;
const DEADLINE_MS = 120_000;
/** FILE_OPTIONS='{"chunkSize":131072}' tries other swarm options (chunk size effects, windows). */
const options: Partial<FileSwarmOptions> = JSON.parse(process.env.FILE_OPTIONS ?? '{}');
const chunkSize = options.chunkSize ?? DEFAULT_FILE_SWARM_OPTIONS.chunkSize;

async function channelPair(): Promise<{ a: SimplePeer.Instance; b: SimplePeer.Instance }> {
  const a = new SimplePeer({ initiator: true, wrtc, config: { iceServers: [] } });
  const b = new SimplePeer({ wrtc, config: { iceServers: [] } });
  a.on('signal', (data) => b.signal(data));
  b.on('signal', (data) => a.signal(data));
  await Promise.all([new Promise((r) => a.once('connect', r)), new Promise((r) => b.once('connect', r))]);
  return { a, b };
}

/** The floor: chunks pushed as fast as the channel takes them (paused above 1 MiB buffered), nothing else. */
async function bareLoop(): Promise<number> {
  const { a, b } = await channelPair();
  const chunk = new Uint8Array(CHUNK).fill(7);
  let received = 0;
  const done = new Promise<void>((resolve) => b.on('data', (d: Uint8Array) => (received += d.length) >= size && resolve()));
  const start = performance.now();
  for (let sent = 0; sent < size; sent += CHUNK) {
    while (a.bufferSize > MIB) await new Promise((r) => setTimeout(r, 1));
    a.send(chunk);
  }
  await done;
  const ms = performance.now() - start;
  a.destroy();
  b.destroy();
  return size / MIB / (ms / 1000);
}

const source = (bytes: Uint8Array): FileSource => ({ name: 'bench.bin', size: bytes.length, type: '', read: async (o, n) => bytes.subarray(o, o + n) });

let written = 0;
let onHalfway = (): void => undefined;

async function swarmTransfer(): Promise<{ mibPerSecond: number; chatMs: number }> {
  const room = 'bench-files' as RoomName;
  const verifier = createSignatureVerifier();
  const clock = nodeClock();
  const node = async (name: string) => {
    const peerId = toPeerId(randomUUID()) as PeerId;
    const mesh = createMesh({ self: { peerId, name }, room, identity: await createIdentity(await generateIdentityKeyPair()), verifier, store: createMemoryHistory(), clock, newId: randomUUID });
    const store = createMemoryChunkStore();
    // Halfway through (by chunks stored), the sender chats: how long does a message wait behind the chunks?
    const halfway: ChunkStore = {
      ...store,
      async write(fileId, index, bytes) {
        if (++written === Math.ceil(size / chunkSize / 2)) onHalfway();
        return store.write(fileId, index, bytes);
      },
    };
    const swarm = createFileSwarm({ mesh, store: halfway, clock, codec: plainCodec, options });
    return { peerId, mesh, swarm };
  };
  const [sender, receiver] = [await node('sender'), await node('receiver')];
  const { a, b } = await channelPair();
  sender.mesh.addLink(peerLinkOf(a as unknown as DataPeer), receiver.peerId);
  receiver.mesh.addLink(peerLinkOf(b as unknown as DataPeer), sender.peerId);
  await new Promise<void>((resolve) => receiver.mesh.on('peers', (peers) => peers.some((p) => p.state === 'online') && resolve()));
  const bytes = new Uint8Array(size).map((_, i) => (i * 131) & 0xff);
  const shared = await sender.swarm.share(source(bytes));
  if (!shared.ok) throw new Error(shared.error.message);
  const manifest = JSON.parse(shared.value.body);
  let chatSentAt = 0;
  let chatMs = -1;
  onHalfway = () => {
    chatSentAt = performance.now();
    void sender.mesh.send('{"text":"mid-transfer","name":"sender"}');
  };
  receiver.mesh.on('message', (event) => {
    if (event.id !== shared.value.id && chatSentAt > 0) chatMs = performance.now() - chatSentAt;
  });
  const start = performance.now();
  const done = new Promise<void>((resolve, reject) => {
    receiver.swarm.on('transfer', (state) => {
      if (state.phase === 'complete') resolve();
      if (state.phase === 'failed') reject(new Error(state.error?.code));
    });
  });
  written = 0;
  const fetched = receiver.swarm.fetch(shared.value, manifest);
  if (!fetched.ok) throw new Error(fetched.error.message);
  await done;
  const ms = performance.now() - start;
  for (const n of [sender, receiver]) {
    n.swarm.close();
    n.mesh.close();
  }
  a.destroy();
  b.destroy();
  return { mibPerSecond: size / MIB / (ms / 1000), chatMs: Math.round(chatMs) };
}

const timer = setTimeout(() => {
  console.error('bench:files: over the deadline');
  process.exit(1);
}, DEADLINE_MS);
const bare = await bareLoop();
const swarm = await swarmTransfer();
clearTimeout(timer);
console.log(JSON.stringify({
  bench: 'files', mib: size / MIB, bareChunkBytes: CHUNK, swarmChunkBytes: chunkSize, bareMiBps: +bare.toFixed(1), swarmMiBps: +swarm.mibPerSecond.toFixed(1),
  ratio: +(swarm.mibPerSecond / bare).toFixed(2), chatDuringTransferMs: swarm.chatMs, load1: +loadavg()[0]!.toFixed(2),
}));
process.exit(0);
