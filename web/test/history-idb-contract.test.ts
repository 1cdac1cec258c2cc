import 'fake-indexeddb/auto';
import { toRoomEvent } from '@shoal/shared';
import { historyStoreContract } from '@shoal/shared/testing';
import { describe, it } from 'vitest';
import { openHistoryDb } from '../src/store/history-idb';

let dbCount = 0;
historyStoreContract('IndexedDB history', async () => {
  const { history, close } = await openHistoryDb({ name: `contract-${++dbCount}`, parse: toRoomEvent });
  return { store: history, close };
}, { describe, it });
