import type { ChunkStore, FileResult, SignedEvent } from '@shoal/shared';
import { type FileTransfers, createFileTransfers } from '../state/file-transfers';
import { FILE_QUOTA_LIMIT, MAX_FILE_SIZE_LIMIT, loadRoomLimit, saveRoomLimit } from '../state/room-limits';
import { type OpfsChunkStore, createOpfsChunkStore, roomFilesDirectory } from '../store/opfs-chunk-store';
import type { FileLimits } from '../ui/history-controls';
import { type CountedSwarm, instrumentChunkStore } from './file-test-hooks';

const NOT_COMPLETE: FileResult<never> = { ok: false, error: { code: 'NO_SOURCE', message: 'the file is not complete here yet' } };

export interface RoomFiles {
  transfers: FileTransfers;
  limits(): FileLimits;
  setLimits(limits: FileLimits): void;
  close(): void;
}

export interface OpenRoomFilesDeps {
  /** The room as stored (a private room's derived id). */
  room: string;
  /** The room's chunk store (openRoomFileStore); null where the browser has none. */
  store: OpfsChunkStore | null;
  /** Private rooms store ciphertext: a download decrypts into a scratch copy instead of using the chunks. */
  encrypted: boolean;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** location.search: `?testHooks=1` installs the file test hooks. */
  search: string;
  /** Builds the room's swarm over this store with the stored limits (a changed limit applies at the next open). */
  createSwarm(store: ChunkStore, limits: FileLimits): CountedSwarm;
  /** Shows the author's own file event in the log (ChatState.show). */
  show(event: SignedEvent): void;
}

/**
 * The room's OPFS chunk store, ready for use; null where the browser offers no origin private file
 * system (then the room has no attachments). Its steps are round trips to the browser process, which is
 * busy while a room forms: openRoom starts this first, beside the database, rather than after it.
 */
export async function openRoomFileStore(room: string): Promise<OpfsChunkStore | null> {
  let root: FileSystemDirectoryHandle;
  try {
    root = await navigator.storage.getDirectory();
  } catch {
    return null;
  }
  const store = createOpfsChunkStore(await roomFilesDirectory(root, room));
  // Copies made for earlier downloads: the browser finished reading them long ago.
  await store.clearCopies();
  return store;
}

/** The room's files: the swarm over its store and the view's transfer state; null without a store. */
export function openRoomFiles(deps: OpenRoomFilesDeps): RoomFiles | null {
  const { store } = deps;
  if (!store) return null;
  let limits: FileLimits = {
    quotaBytes: loadRoomLimit(deps.storage, FILE_QUOTA_LIMIT, deps.room),
    maxFileBytes: loadRoomLimit(deps.storage, MAX_FILE_SIZE_LIMIT, deps.room),
  };
  const instrumented = instrumentChunkStore(deps.search, window, store);
  const swarm = deps.createSwarm(instrumented.store, limits);
  const uninstallHooks = instrumented.bind(swarm);
  const transfers = createFileTransfers({
    swarm,
    begun: async (fileId) => (await store.info(fileId)) !== null,
    async plaintext(fileId) {
      if (!deps.encrypted) {
        const blob = await store.storedBlob(fileId);
        return blob ? { ok: true, value: blob } : NOT_COMPLETE;
      }
      const chunks = swarm.read(fileId);
      return chunks ? store.writeCopy(fileId, chunks) : NOT_COMPLETE;
    },
    show: deps.show,
  });
  return {
    transfers,
    limits: () => limits,
    setLimits(next) {
      limits = next;
      saveRoomLimit(deps.storage, FILE_QUOTA_LIMIT, deps.room, next.quotaBytes);
      saveRoomLimit(deps.storage, MAX_FILE_SIZE_LIMIT, deps.room, next.maxFileBytes);
    },
    close() {
      uninstallHooks();
      transfers.dispose();
      swarm.close();
    },
  };
}
