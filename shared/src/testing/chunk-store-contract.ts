import type { ChunkStore, StoredFileInfo } from '../files/file-api';
import { toBase64url } from '../crypto/base64url';
import type { ContractRunner } from './history-store-contract';

/**
 * One compliance suite for every ChunkStore (memory, OPFS, the keeper's SQLite): a store passing it can
 * back a file swarm. The runner is injected as in historyStoreContract; assertions throw plain Errors.
 * `reopen` (optional) gives a store over the same persistent data: what a restart would see.
 */
export interface ChunkStoreUnderTest {
  store: ChunkStore;
  reopen?(): ChunkStore;
  close?(): Promise<void> | void;
}

const FILE = 'F'.repeat(43);
const OTHER = 'G'.repeat(43);
/** SHA-256-shaped hashes in canonical base64url (32 bytes each), as a swarm records them. */
const INFO: StoredFileInfo = { size: 10, chunkSize: 4, chunkHashes: [1, 2, 3].map((n) => toBase64url(new Uint8Array(32).fill(n))) };
const bytes = (...values: number[]) => Uint8Array.from(values);

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`chunk store contract: ${message}`);
}
const same = (a: Uint8Array | null, b: Uint8Array): boolean => a !== null && a.length === b.length && a.every((x, i) => x === b[i]);

export function chunkStoreContract(name: string, open: () => Promise<ChunkStoreUnderTest>, runner: ContractRunner): void {
  const withStore = (body: (s: ChunkStoreUnderTest) => Promise<void>) => async () => {
    const s = await open();
    try {
      await body(s);
    } finally {
      await s.close?.();
    }
  };
  runner.describe(`ChunkStore contract: ${name}`, () => {
    runner.it('holds nothing of a file it never began', withStore(async ({ store }) => {
      check((await store.info(FILE)) === null, 'info of an unknown file is null');
      check((await store.held(FILE)).size === 0, 'nothing held');
      check((await store.read(FILE, 0)) === null, 'read of an unknown chunk is null');
      check(!(await store.write(FILE, 0, bytes(1))).ok, 'a write before begin is refused as a value');
      check((await store.usage()) === 0, 'usage starts at 0');
    }));

    runner.it('records a file, its chunks and their bytes, and counts usage once per chunk', withStore(async ({ store }) => {
      check((await store.begin(FILE, INFO)).ok, 'begin');
      const info = await store.info(FILE);
      check(info !== null && info.size === 10 && info.chunkSize === 4 && info.chunkHashes.join() === INFO.chunkHashes.join(), 'info round-trips');
      check((await store.write(FILE, 2, bytes(9, 9))).ok && (await store.write(FILE, 0, bytes(1, 2, 3, 4))).ok, 'writes');
      check((await store.write(FILE, 0, bytes(1, 2, 3, 4))).ok, 'a repeated write is accepted');
      check([...(await store.held(FILE))].sort().join() === '0,2', 'held lists the written chunks');
      check(same(await store.read(FILE, 0), bytes(1, 2, 3, 4)) && same(await store.read(FILE, 2), bytes(9, 9)), 'reads return the bytes');
      check((await store.usage()) === 6, `usage counts each chunk once (got ${await store.usage()})`);
    }));

    runner.it('removes a file with its chunks and their usage, leaving other files', withStore(async ({ store }) => {
      await store.begin(FILE, INFO);
      await store.begin(OTHER, INFO);
      await store.write(FILE, 0, bytes(1, 2, 3, 4));
      await store.write(OTHER, 1, bytes(5, 6, 7, 8));
      await store.remove(FILE);
      check((await store.info(FILE)) === null && (await store.read(FILE, 0)) === null && (await store.held(FILE)).size === 0, 'gone');
      check(same(await store.read(OTHER, 1), bytes(5, 6, 7, 8)) && (await store.usage()) === 4, 'the other file stays');
    }));

    runner.it('keeps what it stored across a reopen', withStore(async (s) => {
      if (!s.reopen) return;
      await s.store.begin(FILE, INFO);
      await s.store.write(FILE, 1, bytes(4, 3, 2, 1));
      const again = s.reopen();
      check((await again.info(FILE))?.chunkHashes.length === 3, 'the record survives');
      check(same(await again.read(FILE, 1), bytes(4, 3, 2, 1)) && (await again.usage()) === 4, 'the chunk and its usage survive');
    }));
  });
}
