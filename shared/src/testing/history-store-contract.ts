import type { HistoryStore } from '../mesh/mesh-api';
import type { RedactedEvent, RoomEvent, SignedEvent } from '../protocol/room-events';
import type { RoomName } from '../protocol/signal-messages';

/**
 * One compliance suite for every HistoryStore (memory, IndexedDB, the Node keeper's SQLite), in the
 * manner of libp2p's interface tests: a store passing it can back the mesh. The test runner is injected
 * (`describe`/`it` from vitest, node:test, …) so this module needs none; assertions throw plain Errors.
 */
export interface ContractRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** A fresh, empty store per test; `close` (optional) runs after it. */
export interface StoreUnderTest {
  store: HistoryStore;
  close?(): Promise<void> | void;
}

const ROOM = 'contract-room' as RoomName;
const OTHER_ROOM = 'contract-other' as RoomName;

/** A 43-character base64url string unique to `seed`: the shape of an id, hash, key or signature. */
function fakeHash(seed: string): string {
  return (seed.replace(/[^A-Za-z0-9_-]/g, '_') + '_'.repeat(43)).slice(0, 43);
}

/** A structurally valid (unsigned) v2 event: stores check shape on read-back, never signatures. */
export function contractEvent(seed: string, fields: { room?: RoomName; author?: string; seq: number; lamport?: number; kind?: string; target?: string }): SignedEvent {
  return {
    v: 2,
    id: fakeHash(`id${seed}`),
    room: fields.room ?? ROOM,
    author: fields.author ?? 'AAAAAAAAAAAAAAAAAAAAAA.0',
    seq: fields.seq,
    lamport: fields.lamport ?? fields.seq,
    sentAt: 1_700_000_000_000,
    kind: fields.kind ?? 'text',
    ...(fields.target !== undefined && { target: fields.target }),
    publicKey: fakeHash('key'),
    signature: fakeHash(`sig${seed}`).repeat(2),
    body: `{"text":"body of ${seed}"}`,
  };
}

function redactedOf(event: SignedEvent, remover: SignedEvent): RedactedEvent {
  const { body: _body, ...header } = event;
  return { ...header, bodyHash: fakeHash(`hash${event.id}`), deletedBy: remover };
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`HistoryStore contract: ${what}`);
}

const ids = (events: RoomEvent[]) => events.map((e) => e.id).join(',');

export function historyStoreContract(name: string, open: () => Promise<StoreUnderTest>, runner: ContractRunner): void {
  const withStore = (body: (store: HistoryStore) => Promise<void>) => async () => {
    const subject = await open();
    try {
      await body(subject.store);
    } finally {
      await subject.close?.();
    }
  };
  const { describe, it } = runner;

  describe(`HistoryStore contract: ${name}`, () => {
    it('stores an event once and reports whether it was new', withStore(async (store) => {
      const e = contractEvent('a', { seq: 1 });
      check((await store.put(e)) === true, 'first put is new');
      check((await store.put(e)) === false, 'second put is not new');
      check(await store.has(e.id), 'has() finds it');
      check(!(await store.has(fakeHash('nope'))), 'has() misses an unknown id');
    }));

    it('gets an event by id only within its room', withStore(async (store) => {
      const e = contractEvent('b', { seq: 1 });
      await store.put(e);
      check(JSON.stringify(await store.get(ROOM, e.id)) === JSON.stringify(e), 'get() returns the event as stored');
      check((await store.get(OTHER_ROOM, e.id)) === null, 'get() in another room is null');
    }));

    it('builds the version vector from contiguous seqs per author', withStore(async (store) => {
      await store.put(contractEvent('1', { seq: 1 }));
      await store.put(contractEvent('3', { seq: 3 }));
      await store.put(contractEvent('x', { seq: 1, author: 'BBBBBBBBBBBBBBBBBBBBBB.1' }));
      check(JSON.stringify(await store.vector(ROOM)) === JSON.stringify({ 'AAAAAAAAAAAAAAAAAAAAAA.0': 1, 'BBBBBBBBBBBBBBBBBBBBBB.1': 1 }), 'gap stops the mark');
      await store.put(contractEvent('2', { seq: 2 }));
      check((await store.vector(ROOM))['AAAAAAAAAAAAAAAAAAAAAA.0'] === 3, 'filled gap advances the mark');
      check(Object.keys(await store.vector(OTHER_ROOM)).length === 0, 'other room is empty');
    }));

    it('lists what a remote vector lacks, oldest first, and the newest events, up to the limit', withStore(async (store) => {
      const events = [3, 1, 2, 4].map((seq) => contractEvent(`m${seq}`, { seq, lamport: seq * 10 }));
      for (const e of events) await store.put(e);
      await store.put(contractEvent('elsewhere', { seq: 1, room: OTHER_ROOM }));
      const missing = await store.missingFrom(ROOM, { 'AAAAAAAAAAAAAAAAAAAAAA.0': 1 }, 2);
      check(ids(missing) === ids([events[2]!, events[0]!]), `oldest first within limit, got ${ids(missing)}`);
      check((await store.missingFrom(ROOM, {}, 100)).length === 4, 'empty vector lacks everything of the room');
      check(await store.maxLamport(ROOM) === 40, 'maxLamport is the highest of the room');
      check(ids(await store.recent(ROOM, 2)) === ids([events[0]!, events[3]!]), 'recent: the newest two, oldest first');
      check((await store.recent(OTHER_ROOM, 10)).length === 1 && (await store.recent(ROOM, 0)).length === 0, 'recent stays in its room and honours 0');
      check(await store.maxLamport('empty-room' as RoomName) === 0, 'maxLamport of an empty room is 0');
    }));

    it('finds events targeting an id, up to the limit', withStore(async (store) => {
      const target = contractEvent('t', { seq: 1 });
      await store.put(target);
      for (let i = 0; i < 3; i++) await store.put(contractEvent(`r${i}`, { seq: 2 + i, kind: 'reaction', target: target.id }));
      await store.put(contractEvent('other', { seq: 9, kind: 'reaction', target: fakeHash('else') }));
      check((await store.targeting(ROOM, target.id, 10)).length === 3, 'all three reactions');
      check((await store.targeting(ROOM, target.id, 2)).length === 2, 'limit respected');
      check((await store.targeting(OTHER_ROOM, target.id, 10)).length === 0, 'other room has none');
    }));

    it('replaces a stored event by its tombstone and keeps it out of later puts', withStore(async (store) => {
      const target = contractEvent('victim', { seq: 1 });
      const remover = contractEvent('remover', { seq: 2, kind: 'delete', target: target.id });
      await store.put(target);
      await store.put(remover);
      const tombstone = redactedOf(target, remover);
      await store.redact(tombstone);
      const stored = await store.get(ROOM, target.id);
      check(stored !== null && 'bodyHash' in stored && !('body' in stored), 'the body is gone, the header stays');
      check((await store.put(target)) === false, 'a late copy of the content is not new');
      check(await store.get(ROOM, target.id).then((e) => e !== null && 'bodyHash' in e), 'the tombstone wins');
      check(JSON.stringify(await store.vector(ROOM)) === JSON.stringify({ 'AAAAAAAAAAAAAAAAAAAAAA.0': 2 }), 'vector unchanged by redaction');
      const synced = await store.missingFrom(ROOM, {}, 10);
      check(synced.length === 2 && synced.some((e) => 'bodyHash' in e), 'sync hands on the tombstone');
    }));

    it('ignores a redaction of an event it never stored', withStore(async (store) => {
      const target = contractEvent('absent', { seq: 1 });
      await store.redact(redactedOf(target, contractEvent('rm', { seq: 2, kind: 'delete', target: target.id })));
      check(!(await store.has(target.id)), 'nothing appears');
    }));
  });
}
