import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkStoreContract } from '@shoal/shared/testing';
import { describe, expect, it } from 'vitest';
import { openSqliteChunkStores } from '../src/sqlite-chunk-store';

chunkStoreContract('keeper SQLite chunks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-chunks-'));
  const opened = [openSqliteChunkStores(join(dir, 'files.db'))];
  return {
    store: opened[0]!.forRoom('room-a'),
    reopen() {
      const again = openSqliteChunkStores(join(dir, 'files.db'));
      opened.push(again);
      return again.forRoom('room-a');
    },
    close() {
      for (const stores of opened) stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}, { describe, it });

describe('keeper SQLite chunks', () => {
  it('counts usage per room', async () => {
    const stores = openSqliteChunkStores(':memory:');
    const [a, b] = [stores.forRoom('a'), stores.forRoom('b')];
    await a.begin('F'.repeat(43), { size: 4, chunkSize: 4, chunkHashes: ['A'.repeat(43)] });
    await a.write('F'.repeat(43), 0, new Uint8Array(4));
    expect([await a.usage(), await b.usage(), await b.info('F'.repeat(43))]).toEqual([4, 0, null]);
    stores.close();
  });
});
