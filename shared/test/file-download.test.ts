import { describe, expect, it } from 'vitest';
import type { PeerId } from '../src/index';
import type { FileFrame } from '../src/index';
import type { FilePort } from '../src/mesh/file-ports';
import { createDownload, type Download } from '../src/files/file-download';
import { encodeBitfield } from '../src/files/file-frames';
import { rootOf, sha256 } from '../src/files/chunk-crypto';
import { DEFAULT_SCHEDULER_OPTIONS } from '../src/files/chunk-scheduler';
import type { FileSwarmCounters } from '../src/files/index';
import { createMemoryChunkStore } from '../src/testing/index';
import { peerIdOf, seededRandom } from './helpers/sim';

const FILE = 'F'.repeat(43);

interface FakePort extends FilePort {
  sent: FileFrame[];
  strikes: number;
}
const fakePort = (peerId: PeerId): FakePort => {
  const port: FakePort = {
    peerId, sent: [], strikes: 0,
    sendFrame: (frame) => port.sent.push(frame) > 0,
    sendBytes: () => true,
    bufferedAmount: () => 0,
    strike: () => void port.strikes++,
  };
  return port;
};

/** A download of two 4-byte chunks from one fake holder, past its hash list. */
async function started(clock = { now: 0 }): Promise<{ download: Download; port: FakePort; chunks: Uint8Array[]; counters: FileSwarmCounters; store: ReturnType<typeof createMemoryChunkStore> }> {
  const chunks = [Uint8Array.from([1, 2, 3, 4]), Uint8Array.from([5, 6, 7, 8])];
  const digests = await Promise.all(chunks.map(sha256));
  const store = createMemoryChunkStore();
  const counters: FileSwarmCounters = { chunksStored: 0, badChunks: 0, unsolicitedFrames: 0, bytesServed: 0 };
  const port = fakePort(peerIdOf(1));
  const download = createDownload({
    fileId: FILE, root: await rootOf(digests), layout: { chunks: 2, storedSize: 8, storedChunkSize: 4 }, store, ports: () => [port], now: () => clock.now,
    scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, random: seededRandom(1) }, allowance: async () => 1_000, noSourceMs: 600_000, onProgress: () => undefined, counters,
  });
  await download.start();
  download.onFrame(port, { type: 'file-have', file: FILE, chunks: 2, bits: encodeBitfield([0, 1], 2), bytes: 8, chunkSize: 4 });
  expect(port.sent.at(-1)).toEqual({ type: 'file-hashes-req', file: FILE, from: 0, count: 2 });
  await download.onHashes(port, 0, digests);
  return { download, port, chunks, counters, store };
}

const HAVE_BOTH = { type: 'file-have', file: FILE, chunks: 2, bits: encodeBitfield([0, 1], 2), bytes: 8, chunkSize: 4 } as const;

describe('one download', () => {
  it('stores a chunk that matches its hash and completes', async () => {
    const { download, port, chunks, store } = await started();
    expect(port.sent.at(-1)).toMatchObject({ type: 'file-req', file: FILE });
    await download.onChunk(port, 0, chunks[0]!);
    await download.onChunk(port, 1, chunks[1]!);
    expect(download.phase).toBe('complete');
    expect(await store.held(FILE)).toEqual(new Set([0, 1]));
    expect(port.strikes).toBe(0);
  });

  it('drops a chunk that does not match its hash, strikes its sender once and pauses asking it', async () => {
    const clock = { now: 0 };
    const { download, port, counters, store } = await started(clock);
    await download.onChunk(port, 0, Uint8Array.from([9, 9, 9, 9]));
    await download.onChunk(port, 1, Uint8Array.from([9, 9, 9, 9]));
    // The second was in flight when the first failed: dropped without a second strike.
    expect([counters.badChunks, counters.unsolicitedFrames, port.strikes]).toEqual([1, 1, 1]);
    expect((await store.held(FILE)).size).toBe(0);
    const sent = port.sent.length;
    clock.now = DEFAULT_SCHEDULER_OPTIONS.requestTimeoutMs - 1;
    download.tick();
    download.onFrame(port, HAVE_BOTH);
    expect(port.sent.length).toBe(sent);
  });

  it('asks a peer that sent bad data again after a pause that doubles, and never after the third offence', async () => {
    const clock = { now: 0 };
    const { download, port, chunks, counters } = await started(clock);
    const pause = DEFAULT_SCHEDULER_OPTIONS.requestTimeoutMs;
    const bad = Uint8Array.from([9, 9, 9, 9]);
    /** Passes `wait`, lets the port answer the query, and returns the chunks asked of it. */
    const askedAfter = (wait: number): number[] => {
      clock.now += wait;
      const before = port.sent.length;
      download.tick();
      if (port.sent.slice(before).some((f) => f.type === 'file-query')) download.onFrame(port, HAVE_BOTH);
      return port.sent.slice(before).flatMap((f) => (f.type === 'file-req' ? f.indexes : []));
    };
    await download.onChunk(port, 0, bad);
    expect(askedAfter(pause)).toEqual(expect.arrayContaining([0]));
    await download.onChunk(port, 0, bad);
    expect(askedAfter(pause)).toEqual([]);
    expect(askedAfter(pause)).toEqual(expect.arrayContaining([0]));
    await download.onChunk(port, 0, bad);
    expect(askedAfter(10 * pause)).toEqual([]);
    expect([counters.badChunks, port.strikes]).toEqual([3, 3]);
    // A sole holder that misbehaved once and then serves honestly completes the download.
    const retried = await started(clock);
    await retried.download.onChunk(retried.port, 0, bad);
    clock.now += pause;
    retried.download.tick();
    retried.download.onFrame(retried.port, HAVE_BOTH);
    for (const index of [0, 1]) await retried.download.onChunk(retried.port, index, chunks[index]!);
    expect(retried.download.phase).toBe('complete');
  });

  it('refuses a chunk of another length than the manifest gives it, unhashed, striking its sender', async () => {
    const { download, port, counters, store } = await started();
    await download.onChunk(port, 0, Uint8Array.from([1, 2, 3]));
    expect([counters.badChunks, port.strikes, (await store.held(FILE)).size]).toEqual([1, 1, 0]);
    expect(download.phase).toBe('downloading');
  });

  it('strikes a chunk nobody asked for', async () => {
    const { download, port, counters } = await started();
    await download.onChunk(port, 0, Uint8Array.from([1, 2, 3, 4]));
    await download.onChunk(port, 0, Uint8Array.from([1, 2, 3, 4]));
    expect(counters.unsolicitedFrames).toBe(1);
    expect(port.strikes).toBe(1);
  });

  it('starts no second hash list while a verified one is being recorded: a holder answering it is not struck', async () => {
    const chunks = [Uint8Array.from([1, 2, 3, 4]), Uint8Array.from([5, 6, 7, 8])];
    const digests = await Promise.all(chunks.map(sha256));
    const counters: FileSwarmCounters = { chunksStored: 0, badChunks: 0, unsolicitedFrames: 0, bytesServed: 0 };
    const port = fakePort(peerIdOf(1));
    let grant: (bytes: number) => void = () => undefined;
    let asked: () => void = () => undefined;
    const allowanceAsked = new Promise<void>((resolve) => (asked = resolve));
    const download = createDownload({
      fileId: FILE, root: await rootOf(digests), layout: null, store: createMemoryChunkStore(), ports: () => [port], now: () => 0,
      scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, random: seededRandom(1) }, noSourceMs: 600_000, onProgress: () => undefined, counters,
      // The quota check waits: the hash list is verified, the file not yet recorded.
      allowance: () => {
        asked();
        return new Promise((resolve) => (grant = resolve));
      },
    });
    await download.start();
    download.onFrame(port, HAVE_BOTH);
    const adopted = download.onHashes(port, 0, digests);
    // The holder's answers to periodic queries arrive while the list is checked, and while it is recorded.
    download.onFrame(port, HAVE_BOTH);
    await allowanceAsked;
    download.onFrame(port, HAVE_BOTH);
    expect(port.sent.filter((frame) => frame.type === 'file-hashes-req')).toHaveLength(1);
    grant(1_000);
    await adopted;
    expect(port.sent.at(-1)).toMatchObject({ type: 'file-req', file: FILE });
    expect([port.strikes, counters.badChunks]).toEqual([0, 0]);
    await download.onChunk(port, 0, chunks[0]!);
    await download.onChunk(port, 1, chunks[1]!);
    expect(download.phase).toBe('complete');
  });

  it('refuses a hash list that does not hash to the signed root, storing nothing', async () => {
    const store = createMemoryChunkStore();
    const counters: FileSwarmCounters = { chunksStored: 0, badChunks: 0, unsolicitedFrames: 0, bytesServed: 0 };
    const port = fakePort(peerIdOf(2));
    const download = createDownload({
      fileId: FILE, root: await rootOf([new Uint8Array(32)]), layout: null, store, ports: () => [port], now: () => 0,
      scheduler: { ...DEFAULT_SCHEDULER_OPTIONS, random: seededRandom(1) }, allowance: async () => 1_000, noSourceMs: 60_000, onProgress: () => undefined, counters,
    });
    await download.start();
    download.onFrame(port, { type: 'file-have', file: FILE, chunks: 1, bits: encodeBitfield([0], 1), bytes: 4, chunkSize: 4 });
    await download.onHashes(port, 0, [new Uint8Array(32).fill(1)]);
    expect(port.strikes).toBe(1);
    expect(counters.badChunks).toBe(1);
    expect(await store.info(FILE)).toBeNull();
  });
});
