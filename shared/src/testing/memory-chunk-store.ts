import type { ChunkStore, FileResult, StoredFileInfo } from '../files/file-api';

export interface MemoryChunkStore extends ChunkStore {
  /** Test control: replaces a stored chunk's bytes without any check (a corrupted disk, a lying peer). */
  corrupt(fileId: string, index: number, bytes: Uint8Array): void;
}

/**
 * A ChunkStore in memory, for tests and simulations. `capacityBytes` plays the disk's size: a write past
 * it fails with DISK_FULL. Share one instance across swarms to model a store that survives a restart.
 */
export function createMemoryChunkStore(capacityBytes = Number.POSITIVE_INFINITY): MemoryChunkStore {
  const files = new Map<string, { info: StoredFileInfo; chunks: Map<number, Uint8Array> }>();
  let used = 0;
  const ok: FileResult<void> = { ok: true, value: undefined };
  return {
    async begin(fileId, info) {
      if (!files.has(fileId)) files.set(fileId, { info: { ...info, chunkHashes: [...info.chunkHashes] }, chunks: new Map() });
      return ok;
    },
    info: async (fileId) => files.get(fileId)?.info ?? null,
    held: async (fileId) => new Set(files.get(fileId)?.chunks.keys() ?? []),
    read: async (fileId, index) => files.get(fileId)?.chunks.get(index)?.slice() ?? null,
    async write(fileId, index, bytes) {
      const file = files.get(fileId);
      if (!file) return { ok: false, error: { code: 'DISK_FULL', message: 'write refused: the file was never begun' } };
      const previous = file.chunks.get(index)?.length ?? 0;
      if (used - previous + bytes.length > capacityBytes) return { ok: false, error: { code: 'DISK_FULL', message: 'memory store is full' } };
      used += bytes.length - previous;
      file.chunks.set(index, bytes.slice());
      return ok;
    },
    async remove(fileId) {
      for (const chunk of files.get(fileId)?.chunks.values() ?? []) used -= chunk.length;
      files.delete(fileId);
    },
    usage: async () => used,
    corrupt(fileId, index, bytes) {
      files.get(fileId)?.chunks.set(index, bytes);
    },
  };
}
