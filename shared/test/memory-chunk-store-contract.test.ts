import { describe, it } from 'vitest';
import { chunkStoreContract, createMemoryChunkStore } from '../src/testing/index';

chunkStoreContract('memory', async () => {
  const store = createMemoryChunkStore();
  return { store, reopen: () => store };
}, { describe, it });
