import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoomName } from '@shoal/shared';
import { contractEvent } from '@shoal/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteHistory } from '../src/sqlite-history';

const dir = mkdtempSync(join(tmpdir(), 'shoal-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ROOM = 'contract-room' as RoomName;

describe('keeper SQLite history beyond the contract', () => {
  it('keeps at most maxEvents per room, dropping the oldest first, and stays at N after N+1', async () => {
    const store = openSqliteHistory(':memory:', { maxEvents: 3 });
    for (let seq = 1; seq <= 3; seq++) await store.put(contractEvent(`r${seq}`, { seq }));
    expect(store.count(ROOM)).toBe(3);
    await store.put(contractEvent('r4', { seq: 4 }));
    expect(store.count(ROOM)).toBe(3);
    expect((await store.recent(ROOM, 10)).map((e) => e.seq)).toEqual([2, 3, 4]);
    // The vector still claims the dropped event: peers do not push it back.
    expect(await store.vector(ROOM)).toEqual({ 'AAAAAAAAAAAAAAAAAAAAAA.0': 4 });
    store.close();
  });

  it('finds everything committed again after reopening the file', async () => {
    const file = join(dir, 'reopen.db');
    const first = openSqliteHistory(file);
    await first.put(contractEvent('a', { seq: 1 }));
    await first.put(contractEvent('b', { seq: 2 }));
    await first.committed();
    first.close();
    const second = openSqliteHistory(file);
    expect((await second.recent(ROOM, 10)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await second.vector(ROOM)).toEqual({ 'AAAAAAAAAAAAAAAAAAAAAA.0': 2 });
    expect(await second.maxLamport(ROOM)).toBe(2);
    second.close();
  });

  it('skips and counts rows that no longer parse instead of handing them to the mesh', async () => {
    const file = join(dir, 'damaged.db');
    const store = openSqliteHistory(file);
    await store.put(contractEvent('ok', { seq: 1 }));
    await store.committed();
    store.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(file);
    raw.prepare("INSERT INTO events (id, room_no, author, seq, lamport, target, json) VALUES ('x', (SELECT no FROM rooms WHERE room = ?), 'AAAAAAAAAAAAAAAAAAAAAA.0', 2, 2, NULL, '{\"v\":2}')").run(ROOM);
    raw.close();
    const reopened = openSqliteHistory(file);
    expect((await reopened.recent(ROOM, 10)).map((e) => e.seq)).toEqual([1]);
    expect(reopened.skippedRows()).toBe(1);
    reopened.close();
  });
});
