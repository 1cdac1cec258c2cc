import { expect } from 'vitest';
import { type FileContent, type FileSource, type MessageCodec, type SignedEvent, parseContent, plainCodec } from '../../src/index';
import { type ChunkStore, createFileSwarm, type FileSwarmOptions, type KeepingFileSwarm } from '../../src/files/index';
import { createMemoryChunkStore, type MemoryChunkStore } from '../../src/testing/index';
import { createSimNetwork, eventually, seededRandom, type SimNetwork } from './sim';

/** A FileSource over bytes in memory, counting the reads (a source is read in slices, never whole). */
export function memorySource(bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg'): FileSource & { reads: number; largestRead: number } {
  const source = {
    name, type, size: bytes.length, reads: 0, largestRead: 0,
    async read(offset: number, length: number) {
      source.reads++;
      source.largestRead = Math.max(source.largestRead, length);
      return bytes.slice(offset, offset + length);
    },
  };
  return source;
}

/** Deterministic pseudo-random bytes (incompressible, and every chunk differs). */
export function randomBytesOf(length: number, seed = 7): Uint8Array {
  const next = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

export interface FilePeer {
  swarm: KeepingFileSwarm;
  store: ChunkStore;
  /** The memory store underneath (the same as `store` unless a test wrapped it). */
  memory: MemoryChunkStore;
}

export interface FileNet {
  net: SimNetwork;
  files: FilePeer[];
  /** Replaces peer i's swarm by a new one over the same store (a reload), or over `store` when given. */
  restart(i: number, store?: ChunkStore): FilePeer;
  /** Advances the fake clock by a tick per poll until `check` passes (bounded in real time). */
  until(check: () => unknown, timeoutMs?: number): Promise<void>;
  close(): void;
}

export const TEST_FILE_OPTIONS: Partial<FileSwarmOptions> = { chunkSize: 4096, tickMs: 100 };

/** `size` meshes (instant crypto by default: the fake clock is never outrun) each with a file swarm over a memory store. */
export async function createFileNet(size: number, opts: { codec?: (i: number) => MessageCodec | undefined; options?: (i: number) => Partial<FileSwarmOptions>; crypto?: 'instant' | 'webcrypto'; capacity?: (i: number) => number } = {}): Promise<FileNet> {
  const net = await createSimNetwork({ size, crypto: opts.crypto ?? 'instant' });
  const make = (i: number, store: ChunkStore, memory: MemoryChunkStore): FilePeer => {
    const peer = net.peers[i];
    if (!peer) throw new Error(`no peer ${i}`);
    const swarm = createFileSwarm({
      mesh: peer.mesh, store, clock: net.clock, codec: opts.codec?.(i) ?? plainCodec, random: seededRandom(90 + i),
      options: { ...TEST_FILE_OPTIONS, ...opts.options?.(i) },
    });
    return { swarm, store, memory };
  };
  const files = net.peers.map((_, i) => {
    const memory = createMemoryChunkStore(opts.capacity?.(i));
    return make(i, memory, memory);
  });
  return {
    net,
    files,
    restart(i, store) {
      const old = files[i];
      if (!old) throw new Error(`no peer ${i}`);
      old.swarm.close();
      const next = make(i, store ?? old.store, old.memory);
      files[i] = next;
      return next;
    },
    async until(check, timeoutMs = 10_000) {
      await eventually(async () => {
        net.clock.advance(TEST_FILE_OPTIONS.tickMs ?? 100);
        await check();
      }, timeoutMs);
    },
    close() {
      for (const f of files) f.swarm.close();
      net.close();
    },
  };
}

/** The manifest of a file event, decoded as the app does. */
export async function manifestOf(event: SignedEvent, codec: MessageCodec = plainCodec): Promise<FileContent> {
  const opened = await codec.open(event.body);
  if (!opened.ok) throw new Error(opened.problem);
  const content = parseContent('file', opened.text);
  if (!content.ok) throw new Error(content.error.code);
  return content.value;
}

/** All of a file's plaintext, through `read`. */
export async function readAll(swarm: KeepingFileSwarm, fileId: string): Promise<Uint8Array> {
  const chunks = swarm.read(fileId);
  expect(chunks).not.toBeNull();
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks ?? []) parts.push(chunk);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
