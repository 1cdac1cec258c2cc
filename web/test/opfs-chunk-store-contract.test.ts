import { describe, it } from 'vitest';
import { chunkStoreContract } from '@shoal/shared/testing';
import { createOpfsChunkStore, roomFilesDirectory } from '../src/store/opfs-chunk-store';
import { memoryOpfs } from './memory-opfs';

chunkStoreContract('OPFS (in-memory file system)', async () => {
  const roomDir = await roomFilesDirectory(memoryOpfs().root, 'lobby');
  return { store: createOpfsChunkStore(roomDir), reopen: () => createOpfsChunkStore(roomDir) };
}, { describe, it });
