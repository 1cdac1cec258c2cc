import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import {
  type LegacyMessage,
  createIdentity,
  createSignatureVerifier,
  encodeContent,
  generateIdentityKeyPair,
  isRedacted,
  redact,
  signChatMessage,
  signEvent,
  streamIdOf,
  toRoomEvent,
  verifyEvent,
} from '@shoal/shared';
import { openHistoryDb } from '../src/store/history-idb';
import { peerId, room } from './ids';

let dbCount = 0;
const lobby = room('lobby');
const verifier = createSignatureVerifier();
const identity = await createIdentity(await generateIdentityKeyPair());
const stream = await streamIdOf(verifier, identity.publicKey, 0);
const event = (seq: number, draft: { kind?: string; target?: string; body?: string } = {}) =>
  signEvent(identity, verifier, stream, {
    room: lobby, seq, lamport: 1_700_000_000_000 + seq, sentAt: 1_700_000_000_000, kind: draft.kind ?? 'text',
    body: draft.body ?? encodeContent('text', { text: `message ${seq}`, name: 'ada' }), ...(draft.target && { target: draft.target }),
  });

/** Writes rows exactly as protocol v1's code did: a version-1 database with v1's stores and indexes. */
async function writeV1Database(name: string, rows: unknown[]): Promise<void> {
  const db = await openDB(name, 1, {
    upgrade(database) {
      const messages = database.createObjectStore('messages', { keyPath: 'id' });
      messages.createIndex('order', ['room', 'lamport', 'id']);
      messages.createIndex('stream', ['room', 'author', 'seq']);
      database.createObjectStore('keys');
    },
  });
  for (const row of rows) await db.put('messages', row);
  db.close();
}

async function v1History(n: number): Promise<LegacyMessage[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      signChatMessage(identity, {
        id: `10000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`, room: lobby, author: peerId(1), seq: i + 1,
        lamport: i + 1, sentAt: 1_600_000_000_000, name: 'ada', body: `v1 message ${i + 1}`, publicKey: identity.publicKey,
      }),
    ),
  );
}

describe('IndexedDB history after the protocol v2 upgrade', () => {
  it('shows history written by v1 and serves it to sync with its original signatures verifiable', async () => {
    const name = `v1-${++dbCount}`;
    const old = await v1History(5);
    await writeV1Database(name, old);
    const { history, close } = await openHistoryDb({ name, parse: toRoomEvent });
    const shown = await history.recent(lobby, 10);
    expect(shown.map((m) => m.id)).toEqual(old.map((m) => m.id));
    for (const row of shown) expect(await verifyEvent(verifier, row)).toBe('ok');
    const synced = await history.missingFrom(lobby, {}, 100);
    expect(synced).toHaveLength(5);
    expect(await history.vector(lobby)).toEqual({ [peerId(1)]: 5 });
    // v2 events join the same room history after the v1 rows.
    const next = await event(1);
    await history.put(next);
    expect((await history.recent(lobby, 10)).map((m) => m.id)).toEqual([...old.map((m) => m.id), next.id]);
    close();
  });

  it('finds events by id and by target, and replaces a deleted one by its signed header', async () => {
    const { history, close } = await openHistoryDb({ name: `v2-${++dbCount}`, parse: toRoomEvent });
    const said = await event(1);
    const edit = await event(2, { kind: 'edit', target: said.id, body: encodeContent('edit', { text: 'fixed' }) });
    const removal = await event(3, { kind: 'delete', target: said.id, body: '' });
    for (const e of [said, edit, removal]) await history.put(e);
    expect(await history.get(lobby, said.id)).toEqual(said);
    expect(await history.get(room('elsewhere'), said.id)).toBeNull();
    expect((await history.targeting(lobby, said.id, 10)).map((e) => e.id).sort()).toEqual([edit.id, removal.id].sort());
    expect(await history.deleteTargets(lobby)).toEqual([said.id]);
    await history.redact(await redact(verifier, said, removal));
    const kept = await history.get(lobby, said.id);
    expect(kept && isRedacted(kept)).toBe(true);
    expect(JSON.stringify(await history.recent(lobby, 10))).not.toContain('message 1');
    close();
  });

  it('resumes the clock from the highest numeric Lamport time, passing over corrupt rows', async () => {
    const name = `corrupt-${++dbCount}`;
    const good = await v1History(3);
    // A string sorts after every number in IndexedDB key order: v1 resumed its clock from it as NaN.
    await writeV1Database(name, [...good, { ...good[0], id: 'x-string', lamport: 'NaN please' }]);
    const { history, close } = await openHistoryDb({ name, parse: toRoomEvent });
    expect(await history.maxLamport(lobby)).toBe(3);
    expect(history.skippedRows()).toBe(0);
    expect(await history.recent(lobby, 10)).toHaveLength(3);
    expect(history.skippedRows()).toBe(1);
    close();
  });
});
