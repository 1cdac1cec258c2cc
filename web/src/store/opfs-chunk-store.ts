import * as v from 'valibot';
import type { ChunkStore, FileError, FileResult, StoredFileInfo } from '@shoal/shared';

/**
 * A room's file chunks in the origin private file system (OPFS): one directory per file id holding
 * `info.json` and one file per chunk (`c<index>`). A chunk file is written through a writable stream that
 * commits on close, so it is either absent, empty (a crash before the commit) or whole; `held` counts only
 * whole ones, and a transfer resumes from them after a reload. Nothing is ever held whole in memory: the
 * public-room download is a Blob made of the chunk files themselves.
 */
export interface OpfsChunkStore extends ChunkStore {
  /** The stored bytes of a complete file as one Blob backed by the chunk files (no copy); null if incomplete. */
  storedBlob(fileId: string): Promise<Blob | null>;
  /**
   * Writes `chunks` (a private room's decrypted plaintext) to a scratch file and returns it as a Blob for a
   * download; the scratch copy goes with `remove` or the next `clearCopies`.
   */
  writeCopy(fileId: string, chunks: AsyncIterable<Uint8Array>): Promise<FileResult<Blob>>;
  /** Deletes the scratch copies of earlier downloads (at room open: their downloads are long done). */
  clearCopies(): Promise<void>;
}

/** The directory under the OPFS root that holds every room's files. */
export const FILES_DIRECTORY = 'shoal-files';
const INFO_FILE = 'info.json';
/** Files whose directory handle and record are kept at hand (a room rarely moves more at once). */
const MAX_CACHED_FILES = 64;
const COPIES_DIRECTORY = 'copies';

const InfoSchema = v.strictObject({
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
  chunkSize: v.pipe(v.number(), v.integer(), v.minValue(1)),
  chunkHashes: v.array(v.string()),
});

/** Event ids are base64url hashes; anything else never reaches the file system as a name. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The room's directory, created on first use. Room names may hold any character, so they are encoded. */
export async function roomFilesDirectory(root: FileSystemDirectoryHandle, room: string): Promise<FileSystemDirectoryHandle> {
  const files = await root.getDirectoryHandle(FILES_DIRECTORY, { create: true });
  return files.getDirectoryHandle(encodeURIComponent(room), { create: true });
}

export function createOpfsChunkStore(roomDir: FileSystemDirectoryHandle): OpfsChunkStore {
  /** Bytes held in this room, measured once then kept up to date by this tab's writes and removals. */
  let usage: Promise<number> | null = null;
  const adjustUsage = (delta: number) => {
    if (usage) usage = usage.then((bytes) => Math.max(0, bytes + delta));
  };

  /**
   * Directory handles and records of recently used files: a record never changes after `begin`, and
   * re-reading it for every chunk served would cost more than the chunk itself. `held` lists the chunk
   * files on every call (a listing kept from an earlier call went stale across a reload: the resume e2e
   * fetched chunks twice and stalled) and adds this tab's writes, which may land while a listing runs.
   */
  const cache = new Map<string, CacheEntry>();
  const cached = (fileId: string, entry: CacheEntry) => {
    cache.delete(fileId);
    cache.set(fileId, entry);
    if (cache.size > MAX_CACHED_FILES) cache.delete(cache.keys().next().value ?? '');
    return entry;
  };

  /** The file's directory and record (null when not begun), through the cache. */
  const opened = async (fileId: string, create = false): Promise<CacheEntry | null> => {
    if (!SAFE_ID.test(fileId)) return null;
    const known = cache.get(fileId);
    if (known?.info) return known;
    try {
      const dir = known?.dir ?? (await roomDir.getDirectoryHandle(fileId, { create }));
      return cached(fileId, { dir, info: await readInfo(dir), writes: new Map() });
    } catch {
      return null;
    }
  };

  const readInfo = async (dir: FileSystemDirectoryHandle): Promise<StoredFileInfo | null> => {
    try {
      const text = await (await (await dir.getFileHandle(INFO_FILE)).getFile()).text();
      const parsed = v.safeParse(InfoSchema, JSON.parse(text));
      return parsed.success ? parsed.output : null;
    } catch {
      return null;
    }
  };

  /** Whole chunk files of the directory and their sizes. */
  const wholeChunks = async (dir: FileSystemDirectoryHandle, info: StoredFileInfo): Promise<Map<number, File>> => {
    const chunks = new Map<number, File>();
    for await (const [name, handle] of dir.entries()) {
      const index = chunkIndex(name);
      if (index === null || index >= info.chunkHashes.length || handle.kind !== 'file') continue;
      const file = await (handle as FileSystemFileHandle).getFile();
      if (file.size === expectedChunkBytes(info, index)) chunks.set(index, file);
    }
    return chunks;
  };

  const measure = async (): Promise<number> => {
    let bytes = 0;
    for await (const [name, handle] of roomDir.entries()) {
      if (handle.kind !== 'directory' || name === COPIES_DIRECTORY) continue;
      for await (const entry of (handle as FileSystemDirectoryHandle).values()) {
        if (entry.kind === 'file' && chunkIndex(entry.name) !== null) bytes += (await (entry as FileSystemFileHandle).getFile()).size;
      }
    }
    return bytes;
  };

  return {
    async begin(fileId, info) {
      const file = await opened(fileId, true);
      if (!file) return failure('READ_FAILED', 'bad file id');
      if (info.chunkHashes.length !== Math.max(1, Math.ceil(info.size / info.chunkSize))) {
        return failure('BAD_CHUNK', 'the hash list does not fit the file size');
      }
      const written = await writeFile(file.dir, INFO_FILE, new TextEncoder().encode(JSON.stringify(info)));
      if (!written.ok) return written;
      cached(fileId, { dir: file.dir, info, writes: new Map() });
      return { ok: true, value: undefined };
    },
    async info(fileId) {
      return (await opened(fileId))?.info ?? null;
    },
    async held(fileId) {
      const file = await opened(fileId);
      if (!file?.info) return new Set();
      const { dir, info } = file;
      const held = new Set((await wholeChunks(dir, info)).keys());
      for (const [index, whole] of file.writes) {
        if (whole) held.add(index);
        else held.delete(index);
      }
      return held;
    },
    async read(fileId, index) {
      const file = await opened(fileId);
      if (!file?.info) return null;
      try {
        const chunk = await (await file.dir.getFileHandle(chunkName(index))).getFile();
        if (chunk.size !== expectedChunkBytes(file.info, index)) return null;
        return new Uint8Array(await chunk.arrayBuffer());
      } catch {
        return null;
      }
    },
    async write(fileId, index, bytes) {
      const file = await opened(fileId);
      if (!file) return failure('READ_FAILED', 'bad file id');
      const result = await writeFile(file.dir, chunkName(index), bytes);
      if (!result.ok) {
        // The directory may have been removed meanwhile (another tab deleted the file): look it up afresh.
        cache.delete(fileId);
        return result;
      }
      // A chunk written again replaces its bytes: usage grows by the difference only.
      adjustUsage(bytes.byteLength - result.value);
      file.writes.set(index, file.info !== null && bytes.byteLength === expectedChunkBytes(file.info, index));
      return { ok: true, value: undefined };
    },
    async remove(fileId) {
      const file = await opened(fileId);
      cache.delete(fileId);
      if (!file) return;
      const bytes = file.info ? [...(await wholeChunks(file.dir, file.info)).values()].reduce((sum, chunk) => sum + chunk.size, 0) : 0;
      await roomDir.removeEntry(fileId, { recursive: true }).catch(() => undefined);
      await removeCopy(roomDir, fileId);
      adjustUsage(-bytes);
    },
    usage() {
      usage ??= measure();
      return usage;
    },
    async storedBlob(fileId) {
      const file = await opened(fileId);
      if (!file?.info) return null;
      const chunks = await wholeChunks(file.dir, file.info);
      if (chunks.size !== file.info.chunkHashes.length) return null;
      // A Blob of Files references their bytes on disk: the browser streams them to the download.
      return new Blob(file.info.chunkHashes.map((_, index) => chunks.get(index) as File));
    },
    async writeCopy(fileId, chunks) {
      if (!SAFE_ID.test(fileId)) return failure('READ_FAILED', 'bad file id');
      try {
        const copies = await roomDir.getDirectoryHandle(COPIES_DIRECTORY, { create: true });
        const handle = await copies.getFileHandle(fileId, { create: true });
        const writable = await handle.createWritable();
        try {
          for await (const chunk of chunks) await writable.write(unshared(chunk));
          await writable.close();
        } catch (error) {
          await writable.abort().catch(() => undefined);
          throw error;
        }
        return { ok: true, value: await handle.getFile() };
      } catch (error) {
        await removeCopy(roomDir, fileId);
        return { ok: false, error: writeError(error) };
      }
    },
    async clearCopies() {
      await roomDir.removeEntry(COPIES_DIRECTORY, { recursive: true }).catch(() => undefined);
    },
  };
}

/**
 * Writes a whole file through a writable stream: the browser commits it on close, atomically. Resolves
 * with the size the file had before (0 when new).
 */
async function writeFile(dir: FileSystemDirectoryHandle, name: string, bytes: Uint8Array): Promise<FileResult<number>> {
  let created = false;
  try {
    const handle = await dir.getFileHandle(name, { create: true });
    const previous = (await handle.getFile()).size;
    created = previous === 0;
    const writable = await handle.createWritable();
    try {
      await writable.write(unshared(bytes));
      await writable.close();
    } catch (error) {
      await writable.abort().catch(() => undefined);
      throw error;
    }
    return { ok: true, value: previous };
  } catch (error) {
    // The empty file left behind counts as not held; removing it keeps the directory tidy. A file that
    // was whole before keeps its bytes: the writable stream never committed.
    if (created) await dir.removeEntry(name).catch(() => undefined);
    return { ok: false, error: writeError(error) };
  }
}

async function removeCopy(roomDir: FileSystemDirectoryHandle, fileId: string): Promise<void> {
  try {
    await (await roomDir.getDirectoryHandle(COPIES_DIRECTORY)).removeEntry(fileId);
  } catch {
    // No copy was made.
  }
}

/** A full disk is named as such (the person can act on it); any other refusal stays generic. */
export function writeError(error: unknown): FileError {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return { code: 'DISK_FULL', message: 'This browser has no room left to store files: free up disk space or lower the file quota (Files). Messages and other files are kept.' };
  }
  return { code: 'DISK_FULL', message: 'This browser refused to store the file (storage failed). Messages and other files are kept.' };
}

function failure(code: FileError['code'], message: string): FileResult<never> {
  return { ok: false, error: { code, message } };
}

interface CacheEntry {
  dir: FileSystemDirectoryHandle;
  /** Null until `begin` wrote it. */
  info: StoredFileInfo | null;
  /** Chunks this tab wrote since `begin` (or since the entry was cached): whether each is now whole. */
  writes: Map<number, boolean>;
}

const chunkName = (index: number) => `c${index}`;

/** Writable streams take bytes over a plain ArrayBuffer only; a view of shared memory is copied first. */
function unshared(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}

function chunkIndex(name: string): number | null {
  const match = /^c(0|[1-9][0-9]{0,8})$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** Every chunk is chunkSize long but the last, which holds the rest (an empty file is one empty chunk). */
function expectedChunkBytes(info: StoredFileInfo, index: number): number {
  return Math.min(info.chunkSize, info.size - index * info.chunkSize);
}
