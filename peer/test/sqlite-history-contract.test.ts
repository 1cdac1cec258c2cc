import { historyStoreContract } from '@shoal/shared/testing';
import { describe, it } from 'vitest';
import { openSqliteHistory } from '../src/sqlite-history';

historyStoreContract('keeper SQLite history', async () => {
  const store = openSqliteHistory(':memory:');
  return { store, close: () => store.close() };
}, { describe, it });
