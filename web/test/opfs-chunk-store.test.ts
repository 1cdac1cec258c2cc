import { describe, expect, it } from 'vitest';
import type { StoredFileInfo } from '@shoal/shared';
import { createOpfsChunkStore, roomFilesDirectory } from '../src/store/opfs-chunk-store';
import { memoryOpfs } from './memory-opfs';

const fileId = 'a'.repeat(43);
const info: StoredFileInfo = { size: 2_500, chunkSize: 1_024, chunkHashes: ['h0', 'h1', 'h2'] };
const chunk = (index: number) => new Uint8Array(index === 2 ? 452 : 1_024).fill(index + 1);

async function setup(room = 'lobby') {
  const opfs = memoryOpfs();
  const store = createOpfsChunkStore(await roomFilesDirectory(opfs.root, room));
  return { opfs, store };
}

async function collect(blob: Blob): Promise<number[]> {
  return Array.from(new Uint8Array(await blob.arrayBuffer()));
}

describe('OPFS chunk store', () => {
  it('keeps the record and whole chunks, and reads them back', async () => {
    const { store } = await setup();
    expect(await store.info(fileId)).toBeNull();
    expect((await store.begin(fileId, info)).ok).toBe(true);
    expect(await store.info(fileId)).toEqual(info);
    expect((await store.write(fileId, 2, chunk(2))).ok).toBe(true);
    expect((await store.write(fileId, 0, chunk(0))).ok).toBe(true);
    expect([...(await store.held(fileId))].sort()).toEqual([0, 2]);
    expect(await store.read(fileId, 2)).toEqual(chunk(2));
    expect(await store.read(fileId, 1)).toBeNull();
    expect(await store.usage()).toBe(1_024 + 452);
  });

  it('answers held from the chunk files and this tab’s writes, a rewrite of the wrong length included', async () => {
    const { store } = await setup();
    await store.begin(fileId, info);
    await store.write(fileId, 0, chunk(0));
    const first = await store.held(fileId);
    await store.write(fileId, 1, chunk(1));
    await store.write(fileId, 0, chunk(0).subarray(0, 5));
    expect(first).toEqual(new Set([0]));
    expect(await store.held(fileId)).toEqual(new Set([1]));
  });

  it('counts a chunk written while the first listing runs (a holder answering queries while it stores)', async () => {
    const { store, opfs } = await setup();
    await store.begin(fileId, info);
    const paused = opfs.pauseNextListing();
    const listing = store.held(fileId);
    await paused.reached;
    await store.write(fileId, 1, chunk(1));
    paused.release();
    await listing;
    expect(await store.held(fileId)).toEqual(new Set([1]));
  });

  it('refuses a hash list that does not fit the size', async () => {
    const { store } = await setup();
    const result = await store.begin(fileId, { ...info, chunkHashes: ['h0', 'h1'] });
    expect(result.ok ? null : result.error.code).toBe('BAD_CHUNK');
  });

  it('counts a chunk of the wrong length (a write cut short) as not held', async () => {
    const { store } = await setup();
    await store.begin(fileId, info);
    await store.write(fileId, 0, chunk(0).subarray(0, 10));
    expect(await store.held(fileId)).toEqual(new Set());
    expect(await store.read(fileId, 0)).toBeNull();
  });

  it('names a full disk and loses nothing already stored', async () => {
    const { store, opfs } = await setup();
    await store.begin(fileId, info);
    await store.write(fileId, 0, chunk(0));
    opfs.refuseWrites('QuotaExceededError');
    const refused = await store.write(fileId, 1, chunk(1));
    expect(refused.ok ? null : refused.error.code).toBe('DISK_FULL');
    expect(refused.ok ? '' : refused.error.message).toMatch(/no room left/);
    opfs.refuseWrites(null);
    expect(await store.held(fileId)).toEqual(new Set([0]));
    expect(await store.read(fileId, 0)).toEqual(chunk(0));
  });

  it('gives a complete file as one Blob of its chunks, and nothing while incomplete', async () => {
    const { store } = await setup();
    await store.begin(fileId, info);
    await store.write(fileId, 0, chunk(0));
    await store.write(fileId, 2, chunk(2));
    expect(await store.storedBlob(fileId)).toBeNull();
    await store.write(fileId, 1, chunk(1));
    const blob = await store.storedBlob(fileId);
    expect(blob?.size).toBe(2_500);
    expect(blob && (await collect(blob))).toEqual([...chunk(0), ...chunk(1), ...chunk(2)]);
  });

  it('writes a plaintext copy for a download and drops it with the file', async () => {
    const { store, opfs } = await setup();
    await store.begin(fileId, info);
    async function* plain() {
      yield new Uint8Array([1, 2]);
      yield new Uint8Array([3]);
    }
    const copy = await store.writeCopy(fileId, plain());
    expect(copy.ok && (await collect(copy.value))).toEqual([1, 2, 3]);
    await store.remove(fileId);
    expect(opfs.paths()).toEqual([]);
  });

  it('removes a file and gives its bytes back to the usage count', async () => {
    const { store } = await setup();
    await store.begin(fileId, info);
    await store.write(fileId, 0, chunk(0));
    expect(await store.usage()).toBe(1_024);
    await store.remove(fileId);
    expect(await store.info(fileId)).toBeNull();
    expect(await store.usage()).toBe(0);
  });

  it('finds what an earlier page load stored (resume after reload)', async () => {
    const opfs = memoryOpfs();
    const first = createOpfsChunkStore(await roomFilesDirectory(opfs.root, 'lobby'));
    await first.begin(fileId, info);
    await first.write(fileId, 1, chunk(1));
    const second = createOpfsChunkStore(await roomFilesDirectory(opfs.root, 'lobby'));
    expect(await second.held(fileId)).toEqual(new Set([1]));
    expect(await second.usage()).toBe(1_024);
  });

  it('keeps rooms apart and never uses a malformed id as a path', async () => {
    const opfs = memoryOpfs();
    const lobby = createOpfsChunkStore(await roomFilesDirectory(opfs.root, 'lobby'));
    const other = createOpfsChunkStore(await roomFilesDirectory(opfs.root, 'other/room'));
    await lobby.begin(fileId, info);
    expect(await other.info(fileId)).toBeNull();
    expect((await lobby.begin('../escape', info)).ok).toBe(false);
    expect(opfs.paths().every((path) => path.startsWith('shoal-files/'))).toBe(true);
  });
});
