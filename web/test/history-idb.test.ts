import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { toRoomEvent } from '@shoal/shared';
import { openHistoryDb } from '../src/store/history-idb';
import { peerId, room } from './ids';
import { chatMessage } from './messages';
import { memoryStorage } from './memory-storage';
import { createOutbox } from '../src/store/outbox';
import { parseIdentityRow } from '../src/store/identity-row';

let dbCount = 0;
const open = () => openHistoryDb({ name: `test-${++dbCount}`, parse: toRoomEvent });
const lobby = room('lobby');
const [alice, bob] = [peerId(1), peerId(2)];

describe('IndexedDB history', () => {
  it('stores a message once however often it is written', async () => {
    const { history, close } = await open();
    const message = chatMessage(lobby, alice, 1, 1);
    expect(await history.put(message)).toBe(true);
    expect(await history.put(message)).toBe(false);
    expect(await history.has(message.id)).toBe(true);
    expect(await history.recent(lobby, 10)).toEqual([message]);
    close();
  });

  it('reads the last messages of a room in display order, then older pages', async () => {
    const { history, close } = await open();
    // Written out of order and interleaved with another room.
    for (const lamport of [5, 1, 4, 2, 3, 6]) await history.put(chatMessage(lobby, alice, lamport, lamport));
    await history.put(chatMessage(room('other'), bob, 1, 100, 100));
    const last = await history.recent(lobby, 3);
    expect(last.map((m) => m.lamport)).toEqual([4, 5, 6]);
    const older = await history.before(lobby, last[0] ?? { lamport: 0, id: '' }, 10);
    expect(older.map((m) => m.lamport)).toEqual([1, 2, 3]);
    expect(await history.maxLamport(lobby)).toBe(6);
    expect(await history.maxLamport(room('empty'))).toBe(0);
    close();
  });

  it('orders messages with equal Lamport time by id', async () => {
    const { history, close } = await open();
    await history.put(chatMessage(lobby, bob, 1, 7, 9));
    await history.put(chatMessage(lobby, alice, 1, 7, 8));
    expect((await history.recent(lobby, 10)).map((m) => m.author)).toEqual([alice, bob]);
    close();
  });

  it('reports the contiguous run held per author as the version vector', async () => {
    const { history, close } = await open();
    for (const seq of [1, 2, 3, 5]) await history.put(chatMessage(lobby, alice, seq, seq));
    for (const seq of [2, 3]) await history.put(chatMessage(lobby, bob, seq, 10 + seq));
    expect(await history.vector(lobby)).toEqual({ [alice]: 3 });
    expect(await history.vector(room('empty'))).toEqual({});
    close();
  });

  it('returns what a remote vector lacks, oldest first and bounded', async () => {
    const { history, close } = await open();
    for (let seq = 1; seq <= 5; seq++) await history.put(chatMessage(lobby, alice, seq, seq * 2));
    for (let seq = 1; seq <= 3; seq++) await history.put(chatMessage(lobby, bob, seq, seq * 2 + 1, 50 + seq));
    const missing = await history.missingFrom(lobby, { [alice]: 3, [bob]: 1 }, 100);
    expect(missing.map((m) => [m.author === alice ? 'a' : 'b', m.seq])).toEqual([['b', 2], ['b', 3], ['a', 4], ['a', 5]]);
    expect(await history.missingFrom(lobby, { [alice]: 5, [bob]: 3 }, 100)).toEqual([]);
    expect(await history.missingFrom(lobby, {}, 4)).toHaveLength(4);
    close();
  });

  it('skips and counts stored rows that are not valid messages', async () => {
    const { history, close } = await open();
    await history.put(chatMessage(lobby, alice, 1, 1));
    // A corrupt row, as another version or a tampering extension might leave behind.
    await history.put({ ...chatMessage(lobby, alice, 2, 2), body: '' });
    expect((await history.recent(lobby, 10)).map((m) => m.seq)).toEqual([1]);
    expect(history.skippedRows()).toBe(1);
    close();
  });

  it('stores a message once for two tabs, and each tab reports it new once', async () => {
    const name = `shared-${++dbCount}`;
    const [tabA, tabB] = await Promise.all([openHistoryDb({ name, parse: toRoomEvent }), openHistoryDb({ name, parse: toRoomEvent })]);
    const message = chatMessage(lobby, alice, 1, 1);
    // Each tab's mesh must deliver the message even when the other tab stored it first.
    expect(await Promise.all([tabA.history.put(message), tabB.history.put(message)])).toEqual([true, true]);
    expect(await Promise.all([tabA.history.put(message), tabB.history.put(message)])).toEqual([false, false]);
    expect(await tabB.history.recent(lobby, 10)).toEqual([message]);
    expect(await tabA.history.vector(lobby)).toEqual({ [alice]: 1 });
    tabA.close();
    tabB.close();
  });

  it('keeps the identity key pair', async () => {
    const { keys, close } = await open();
    expect(await keys.load()).toBeUndefined();
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    await keys.save(pair);
    const loaded = parseIdentityRow(await keys.load());
    if (!loaded.ok) throw new Error(`stored pair did not parse: ${loaded.code}`);
    expect(loaded.value.privateKey.extractable).toBe(false);
    expect(loaded.value.publicKey.algorithm.name).toBe('ECDSA');
    close();
  });
});

describe('IndexedDB history writes', () => {
  it('keeps own messages in the outbox until committed, and a later load stores what was left', async () => {
    const name = `outbox-${++dbCount}`;
    const storage = memoryStorage();
    const outbox = createOutbox(storage, 'tab-1', toRoomEvent);
    const first = await openHistoryDb({ name, parse: toRoomEvent, outbox, durable: (m) => m.author === alice });
    const own = chatMessage(lobby, alice, 1, 1);
    expect(await first.history.put(own)).toBe(true);
    expect(storage.map.size).toBe(1);
    expect(await first.history.recent(lobby, 10)).toEqual([own]);
    // Reads do not wait for the commit; the outbox entry goes once it is done.
    await vi.waitFor(() => expect(storage.map.size).toBe(0));
    first.close();

    // A page that went away before its commit: the message is only in its outbox.
    const lost = chatMessage(lobby, alice, 2, 2);
    createOutbox(storage, 'tab-gone', toRoomEvent).add(lost);
    const next = await openHistoryDb({ name, parse: toRoomEvent, outbox: createOutbox(storage, 'tab-2', toRoomEvent) });
    expect((await next.history.recent(lobby, 10)).map((m) => m.seq)).toEqual([1, 2]);
    expect(storage.map.size).toBe(0);
    // Restored rows are not "reported": a copy arriving later is still delivered to this tab.
    expect(await next.history.put(lost)).toBe(true);
    next.close();
  });

  it("counts rows another tab stored in the version vector, with this tab's later puts", async () => {
    const name = `vector-${++dbCount}`;
    const writer = await openHistoryDb({ name, parse: toRoomEvent });
    for (const seq of [1, 2, 4]) await writer.history.put(chatMessage(lobby, alice, seq, seq));
    const reader = await openHistoryDb({ name, parse: toRoomEvent });
    expect(await reader.history.vector(lobby)).toEqual({ [alice]: 2 });
    await reader.history.put(chatMessage(lobby, alice, 3, 3));
    expect(await reader.history.vector(lobby)).toEqual({ [alice]: 4 });
    writer.close();
    reader.close();
  });

  it('reports non-durable messages at once and still stores them', async () => {
    const { history, close } = await openHistoryDb({ name: `bg-${++dbCount}`, parse: toRoomEvent, durable: (m) => m.author === alice });
    const remote = Array.from({ length: 50 }, (_, i) => chatMessage(lobby, bob, i + 1, i + 1));
    expect(await Promise.all(remote.map((m) => history.put(m)))).toEqual(remote.map(() => true));
    // Reads include queued writes, so the store is consistent with what put reported.
    expect(await history.vector(lobby)).toEqual({ [bob]: 50 });
    expect(await history.recent(lobby, 100)).toHaveLength(50);
    close();
  });
});
