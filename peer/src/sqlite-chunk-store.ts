import { type ChunkStore, type FileErrorCode, type FileResult, type StoredFileInfo } from '@shoal/shared/files';
import { fromBase64url, toBase64url } from '@shoal/shared';
import Database from 'better-sqlite3';

/**
 * The keeper's ChunkStores, one per room, in one SQLite file (DIR/files.db) beside the history.
 *
 * SQLite blobs rather than one file per chunk on disk: chunks are 64 KiB, where SQLite reads and writes
 * blobs at least as fast as the file system (SQLite's "Internal Versus External BLOBs" measurements put
 * the crossover near 100 KiB), and a chunk write, the held set and the usage counter commit together, so
 * a killed keeper never holds a chunk it does not count nor counts one it lost. Its own file, not the
 * history database, so bulk bytes never sit in the history's WAL or slow its group commits. Every
 * chunk is one row: nothing ever holds a whole file in memory.
 */
export interface SqliteChunkStores {
  /** The store of one room (its usage is the room's alone, for the quota). */
  forRoom(room: string): ChunkStore;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (
  room TEXT NOT NULL,
  file_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  chunk_size INTEGER NOT NULL,
  hashes BLOB NOT NULL,
  stored INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room, file_id)
);
CREATE TABLE IF NOT EXISTS chunks (
  room TEXT NOT NULL,
  file_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  UNIQUE (room, file_id, idx)
);
`;

const DIGEST_BYTES = 32;
const ok: FileResult<void> = { ok: true, value: undefined };

/** A failed write as a value: a full disk is DISK_FULL; so is any other refusal (the store cannot take it). */
function refusal(error: unknown): FileResult<void> {
  const code: FileErrorCode = 'DISK_FULL';
  const full = error instanceof Error && 'code' in error && error.code === 'SQLITE_FULL';
  return { ok: false, error: { code, message: full ? 'the disk is full' : `the chunk store refused the write: ${String(error)}` } };
}

export function openSqliteChunkStores(file: string): SqliteChunkStores {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  type FileRow = { size: number; chunk_size: number; hashes: Buffer };
  const insertFile = db.prepare('INSERT OR IGNORE INTO files (room, file_id, size, chunk_size, hashes) VALUES (?, ?, ?, ?, ?)');
  const getFile = db.prepare<[string, string], FileRow>('SELECT size, chunk_size, hashes FROM files WHERE room = ? AND file_id = ?');
  const heldRows = db.prepare<[string, string], { idx: number }>('SELECT idx FROM chunks WHERE room = ? AND file_id = ?');
  const getChunk = db.prepare<[string, string, number], { bytes: Buffer }>('SELECT bytes FROM chunks WHERE room = ? AND file_id = ? AND idx = ?');
  const chunkLength = db.prepare<[string, string, number], { n: number }>('SELECT length(bytes) AS n FROM chunks WHERE room = ? AND file_id = ? AND idx = ?');
  const putChunk = db.prepare('INSERT OR REPLACE INTO chunks (room, file_id, idx, bytes) VALUES (?, ?, ?, ?)');
  const addStored = db.prepare('UPDATE files SET stored = stored + ? WHERE room = ? AND file_id = ?');
  const dropChunks = db.prepare('DELETE FROM chunks WHERE room = ? AND file_id = ?');
  const dropFile = db.prepare('DELETE FROM files WHERE room = ? AND file_id = ?');
  const usage = db.prepare<[string], { total: number | null }>('SELECT SUM(stored) AS total FROM files WHERE room = ?');

  const write = db.transaction((room: string, fileId: string, index: number, bytes: Uint8Array): boolean => {
    if (!getFile.get(room, fileId)) return false;
    const previous = chunkLength.get(room, fileId, index)?.n ?? 0;
    putChunk.run(room, fileId, index, bytes);
    addStored.run(bytes.length - previous, room, fileId);
    return true;
  });
  const remove = db.transaction((room: string, fileId: string) => {
    dropChunks.run(room, fileId);
    dropFile.run(room, fileId);
  });

  const storeOf = (room: string): ChunkStore => ({
    async begin(fileId, info) {
      const hashes = new Uint8Array(info.chunkHashes.length * DIGEST_BYTES);
      for (const [i, hash] of info.chunkHashes.entries()) {
        const digest = fromBase64url(hash);
        if (!digest || digest.length !== DIGEST_BYTES) return { ok: false, error: { code: 'BAD_CHUNK', message: 'a chunk hash is not a SHA-256' } };
        hashes.set(digest, i * DIGEST_BYTES);
      }
      try {
        insertFile.run(room, fileId, info.size, info.chunkSize, hashes);
        return ok;
      } catch (error) {
        return refusal(error);
      }
    },
    async info(fileId): Promise<StoredFileInfo | null> {
      const row = getFile.get(room, fileId);
      if (!row) return null;
      const chunkHashes = Array.from({ length: row.hashes.length / DIGEST_BYTES }, (_, i) => toBase64url(row.hashes.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES)));
      return { size: row.size, chunkSize: row.chunk_size, chunkHashes };
    },
    held: async (fileId) => new Set(heldRows.all(room, fileId).map((row) => row.idx)),
    async read(fileId, index) {
      const row = getChunk.get(room, fileId, index);
      return row ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : null;
    },
    async write(fileId, index, bytes) {
      try {
        return write(room, fileId, index, bytes) ? ok : { ok: false, error: { code: 'DISK_FULL', message: 'write refused: the file was never begun' } };
      } catch (error) {
        return refusal(error);
      }
    },
    async remove(fileId) {
      remove(room, fileId);
    },
    usage: async () => usage.get(room)?.total ?? 0,
  });

  return {
    forRoom: storeOf,
    close: () => db.close(),
  };
}
