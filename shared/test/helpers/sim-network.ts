/**
 * The simulated network without vitest (the broadcast bench runs it outside the test runner): meshes over
 * memory links on one fake clock, with deterministic ids and seeded randomness.
 */
import { type LegacyMessage, type SignedEvent, isRedacted, createIdentity, createMesh, createSignatureVerifier, generateIdentityKeyPair, type Identity, type Mesh, type MeshOptions, type PeerLink, type PeerId, type RoomName, RoomNameSchema, type RoomProof, toBase64url, toPeerId } from '../../src/index';
import { createFakeClock, createMemoryHistory, createMemoryLinkPair, type FakeClock, type MemoryHistory, type MemoryLinkPair } from '../../src/testing/index';
import * as v from 'valibot';
import { createInstantIdentity, createInstantVerifier } from './instant-crypto';

// shared/ compiles without DOM or Node types (it must run in both), so the host timer is looked up here.
const hostTimers = globalThis as unknown as { setTimeout(run: () => void, ms: number): unknown };

/** Resolves on the next macrotask, after every microtask queued so far (and every one they queue). */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => hostTimers.setTimeout(resolve, 0));
}


/** Deterministic lowercase UUIDs: `kind` picks the first group, so peer and message ids never collide. */
export function uuid(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function peerIdOf(n: number): PeerId {
  const id = toPeerId(uuid(1, n));
  if (!id) throw new Error('bad test peer id');
  return id;
}

export const ROOM: RoomName = v.parse(RoomNameSchema, 'test-room');

export interface SimPeer {
  index: number;
  id: PeerId;
  mesh: Mesh;
  store: MemoryHistory;
  identity: Identity;
  /** Delivered events that carry a body (v2 events and v1 messages; redacted ones are left out). */
  received: Array<SignedEvent | LegacyMessage>;
}

export interface SimNetwork {
  /** True when built with crypto 'instant': all work then settles within microtasks. */
  instantCrypto: boolean;
  clock: FakeClock;
  peers: SimPeer[];
  /** Links peer i and j (both sides told who to expect) and returns the wire. */
  connect(i: number, j: number): MemoryLinkPair;
  wires: MemoryLinkPair[];
  /** The two peers (indices) of each wire, in the order of `wires`. */
  wireEnds: Array<[number, number]>;
  transmissions(): number;
  /** Frames sent over all wires so far, by `type`. */
  framesByType(): Record<string, number>;
  /** Most messages carried by one history-batch frame so far. */
  largestBatch(): number;
  close(): void;
}

export interface SimOptions {
  size: number;
  options?: Partial<MeshOptions>;
  room?: RoomName;
  /**
   * 'webcrypto' (default): real keys per peer, signed and verified in real time. 'instant': the
   * deterministic stand-ins of instant-crypto.ts, for big simulations that must not depend on the
   * machine's load.
   */
  crypto?: 'webcrypto' | 'instant';
  /** A private room: each peer's room proofs (by index); default a public room. */
  roomProofs?: (index: number) => readonly RoomProof[];
  /** Receives the meshes' onError reports; default: rethrow (a test fails on any unexpected error). */
  onError?: (error: unknown, peer: number) => void;
  /**
   * Sees every frame a peer sends over a wire (benches count chat copies and hops). Returning false
   * swallows it: the sender's link still accepts it (a relay that says yes and never forwards).
   */
  onFrame?: (from: number, to: number, frame: string) => boolean | void;
}

const TYPE_AT = '{"type":"'.length;

/** Builds `size` meshes with memory stores, one fake clock and deterministic ids. No links yet. */
export async function createSimNetwork(opts: SimOptions): Promise<SimNetwork> {
  const clock = createFakeClock();
  const instant = opts.crypto === 'instant';
  const verifier = instant ? createInstantVerifier() : createSignatureVerifier();
  let messageCounter = 0;
  const peers: SimPeer[] = [];
  for (let index = 0; index < opts.size; index++) {
    const identity = instant ? createInstantIdentity(index) : await createIdentity(await generateIdentityKeyPair());
    const store = createMemoryHistory();
    const id = peerIdOf(index);
    const mesh = createMesh({
      self: { peerId: id, name: `peer ${index}` },
      room: opts.room ?? ROOM,
      identity,
      verifier,
      store,
      clock,
      newId: () => uuid(2, ++messageCounter),
      random: seededRandom(1000 + index),
      newNonce: seededNonces(5000 + index),
      options: opts.options,
      roomProofs: opts.roomProofs?.(index),
      onError: (error) => {
        if (!opts.onError) throw error;
        opts.onError(error, index);
      },
    });
    const received: Array<SignedEvent | LegacyMessage> = [];
    mesh.on('message', (m) => {
      if (!isRedacted(m)) received.push(m);
    });
    peers.push({ index, id, mesh, store, identity, received });
  }
  const wires: MemoryLinkPair[] = [];
  const wireEnds: Array<[number, number]> = [];
  const at = (i: number): SimPeer => {
    const peer = peers[i];
    if (!peer) throw new Error(`no peer ${i}`);
    return peer;
  };
  const byType: Record<string, number> = {};
  let largestBatch = 0;
  const tally = (link: PeerLink, from: number, to: number): PeerLink => ({
    ...link,
    send(frame) {
      if (opts.onFrame?.(from, to, frame) === false) return true;
      // Frames are built as {"type":"…",…} (encodePeerMessage): the type is read without parsing, and only
      // history batches are parsed (parsing every frame twice cost big simulations a fifth of their time).
      const type = frame.slice(TYPE_AT, frame.indexOf('"', TYPE_AT));
      byType[type] = (byType[type] ?? 0) + 1;
      if (type === 'history-batch') largestBatch = Math.max(largestBatch, (JSON.parse(frame) as { messages: unknown[] }).messages.length);
      return link.send(frame);
    },
  });
  return {
    instantCrypto: instant,
    clock,
    peers,
    wires,
    wireEnds,
    framesByType: () => ({ ...byType }),
    largestBatch: () => largestBatch,
    connect(i, j) {
      const wire = createMemoryLinkPair();
      at(i).mesh.addLink(tally(wire.a, i, j), at(j).id);
      at(j).mesh.addLink(tally(wire.b, j, i), at(i).id);
      wires.push(wire);
      wireEnds.push([i, j]);
      return wire;
    },
    transmissions: () => wires.reduce((sum, w) => sum + w.transmissions(), 0),
    close() {
      for (const p of peers) p.mesh.close();
    },
  };
}

/** Number of online peers each mesh sees. */
export function onlineCount(peer: SimPeer): number {
  return peer.mesh.peers().filter((p) => p.state === 'online').length;
}

/** Seeded handshake and ping nonces, so that glare and duplicate-link tie-breaks replay exactly. */
function seededNonces(seed: number): () => string {
  const next = seededRandom(seed);
  return () => toBase64url(Uint8Array.from({ length: 16 }, () => Math.floor(next() * 256)));
}

/** Seeded PRNG (mulberry32): random topologies and fuzz inputs are reproducible from their seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
