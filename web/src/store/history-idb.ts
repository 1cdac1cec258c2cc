export { HISTORY_DB_NAME, HISTORY_DB_VERSION } from './history-db-schema';
import { type Clock, type RoomEvent, type RoomName, compareEvents } from '@shoal/shared';
import { openDB, unwrap } from 'idb';
import { createBatchWriter } from './batch-writer';
import { HISTORY_DB_NAME, HISTORY_DB_VERSION, type HistoryDatabase, roomRange, upgradeHistoryDb } from './history-db-schema';
import { DEFAULT_RETENTION, type RetentionLimits, type RoomUsage, enforceRetention, measureRoom, readFloors } from './retention';
import type { Outbox } from './outbox';
import type { ChatHistory, KeyStore, MessageCursor } from './history';
import { oldestMissing } from './oldest-missing';
import { type VectorTracker, createVectorTracker } from './vector-tracker';

const IDENTITY_KEY = 'identity';
/** Keys passed over at the top of a room's order looking for a numeric Lamport time (corrupt rows sort there). */
const MAX_LAMPORT_KEYS_SCANNED = 64;
/** Time after a room's first write before its size is measured against the retention limits. */
const FIRST_MEASURE_DELAY_MS = 5_000;

export interface OpenHistoryOptions {
  /** Database name. Default HISTORY_DB_NAME. */
  name?: string;
  /** Turns a stored row back into a RoomEvent, null when it is not one (the shared RoomEvent parser). */
  parse(row: unknown): RoomEvent | null;
  /**
   * Messages that must survive a reload right after `put`: the tab's own, which no one else may hold
   * yet. They go to the outbox synchronously when there is one, else `put` waits for their commit.
   * Every other message is written in the background: peers hold copies, and history sync repairs a
   * write lost to a reload. Default: all messages are durable.
   */
  durable?(message: RoomEvent): boolean;
  /** Synchronous safety net for durable messages until their commit; drained into the store on open. */
  outbox?: Outbox;
  /** Receives failed background writes (quota, closed database). Default console.error. */
  onWriteError?(error: unknown): void;
  /** Timers for write batching. Default the global ones. */
  clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** How much of each room to keep. Default DEFAULT_RETENTION. */
  retention?(room: string): RetentionLimits;
  /**
   * This tab's author stream: its events are never dropped for retention until a peer's sync request
   * showed it holds them (they may exist nowhere else). Default: none protected.
   */
  ownAuthor?(): string;
}

export interface HistoryDb {
  history: ChatHistory;
  keys: KeyStore;
  close(): void;
}


/**
 * Opens the IndexedDB history. Writes are idempotent by message id, so tabs of one browser that receive
 * the same message through their own links store it once; IndexedDB transactions serialize them. Each
 * tab opens its own connection, and `put` reports novelty per connection (see there).
 */
export async function openHistoryDb(options: OpenHistoryOptions): Promise<HistoryDb> {
  const db: HistoryDatabase = await openDB(options.name ?? HISTORY_DB_NAME, HISTORY_DB_VERSION, {
    upgrade: (database, oldVersion, _newVersion, transaction) => upgradeHistoryDb(database, oldVersion, transaction),
    // Another tab wants a newer schema: let it upgrade instead of blocking it forever.
    blocking() {
      db.close();
    },
  });
  let skipped = 0;
  const parseRows = (rows: unknown[]): RoomEvent[] => {
    const out: RoomEvent[] = [];
    for (const row of rows) {
      const message = options.parse(row);
      if (message) out.push(message);
      else skipped += 1;
    }
    return out;
  };
  const history = historyOf(db, parseRows, () => skipped, {
    parse: options.parse,
    retention: options.retention ?? (() => DEFAULT_RETENTION),
    ownAuthor: options.ownAuthor ?? (() => ''),
    outbox: options.outbox ?? null,
    durable: options.durable ?? (() => true),
    onWriteError: options.onWriteError ?? ((error: unknown) => console.error('history write failed:', error)),
    clock: options.clock ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (handle) => clearTimeout(Number(handle)) },
  });
  // Own messages an earlier page load sent but had not committed when it went away.
  const leftovers = options.outbox?.drain() ?? [];
  if (leftovers.length > 0) {
    const tx = db.transaction('messages', 'readwrite');
    for (const message of leftovers) void tx.store.put(message);
    await tx.done;
  }
  return {
    history,
    keys: keysOf(db),
    // Queued writes go out first: a transaction started after close() would fail.
    close: () => void history.settled().finally(() => db.close()),
  };
}

function historyOf(
  db: HistoryDatabase,
  parseRows: (rows: unknown[]) => RoomEvent[],
  skippedRows: () => number,
  writes: Required<Pick<OpenHistoryOptions, 'durable' | 'onWriteError' | 'clock' | 'parse' | 'retention' | 'ownAuthor'>> & {
    outbox: Outbox | null;
  },
): ChatHistory & { settled(): Promise<void> } {
  /** Ids this connection already reported as new (one per delivered message of this session). */
  const reported = new Set<string>();
  /** Version vectors per room: the stored rows (walked once per room) united with this tab's puts. */
  const vectors = new Map<string, { tracker: VectorTracker; loaded: Promise<void> | null }>();
  const vectorOf = (room: string) => {
    let entry = vectors.get(room);
    if (!entry) vectors.set(room, (entry = { tracker: createVectorTracker(), loaded: null }));
    return entry;
  };
  /** Per room: what it holds (measured once, then counted) and the trim running, if any. */
  const usage = new Map<string, { measured: RoomUsage | null; trim: Promise<void> | null; scheduled: boolean }>();
  /** Per room and author: the highest seq a peer's sync request showed it holds (own events confirmed). */
  const acked = new Map<string, number>();
  const usageOf = (room: string) => {
    let entry = usage.get(room);
    if (!entry) usage.set(room, (entry = { measured: null, trim: null, scheduled: false }));
    return entry;
  };
  const keep = (room: string) => (event: RoomEvent) =>
    event.author === writes.ownAuthor() && event.seq > (acked.get(`${room}\n${event.author}`) ?? 0);
  /** Trims a room to its limits when over them; one trim per room at a time, never on the write path. */
  const trim = (room: string): Promise<void> => {
    const entry = usageOf(room);
    entry.trim ??= (async () => {
      entry.measured ??= await measureRoom(db, room);
      const limits = writes.retention(room);
      if (entry.measured.events <= limits.maxEvents && entry.measured.bytes <= limits.maxBytes) return;
      const result = await enforceRetention(db, room, limits, entry.measured, keep(room), writes.parse);
      entry.measured = result.usage;
      const { tracker } = vectorOf(room);
      for (const [author, seq] of result.floors) tracker.raise(author, seq);
    })()
      .catch(writes.onWriteError)
      .finally(() => {
        entry.trim = null;
      });
    return entry.trim;
  };
  const counted = (messages: readonly RoomEvent[]) => {
    for (const message of messages) {
      const entry = usageOf(message.room);
      if (entry.measured) {
        entry.measured.events++;
        entry.measured.bytes += JSON.stringify(message).length;
        if (entry.measured.events > writes.retention(message.room).maxEvents) void trim(message.room);
      } else if (!entry.scheduled) {
        entry.scheduled = true;
        writes.clock.setTimeout(() => void trim(message.room), FIRST_MEASURE_DELAY_MS);
      }
    }
  };
  const writer = createBatchWriter<RoomEvent>(async (messages) => {
    // Relaxed durability: committed once the browser has the data, without waiting on a disk flush.
    const tx = db.transaction('messages', 'readwrite', { durability: 'relaxed' });
    // put, not add: rows are keyed by id, so a message another tab stored already is rewritten, not doubled.
    // On the native store: idb wraps every request in a promise with two listeners, which a 10,000-message
    // intake pays per row; a failed put aborts the transaction, and tx.done rejects with it.
    const store = unwrap(tx.store);
    for (const message of messages) store.put(message);
    await tx.done;
    counted(messages);
  }, { clock: writes.clock });
  /** This room's messages queued for writing; take them before reading the database (see pendingItems). */
  const unwritten = (room: string) => writer.pendingItems().filter((m) => m.room === room);
  /** The last `limit` messages of the room before `below` (all when null), oldest first. */
  const readOrder = async (room: string, below: MessageCursor | null, limit: number): Promise<RoomEvent[]> => {
    if (limit < 1) return [];
    const queued = unwritten(room).filter((m) => !below || compareEvents(m, below) < 0);
    const range = below ? IDBKeyRange.bound([room], [room, below.lamport, below.id], false, true) : roomRange(room);
    const rows: unknown[] = [];
    let cursor = await db.transaction('messages').store.index('order').openCursor(range, 'prev');
    while (cursor && rows.length < limit) {
      rows.push(cursor.value);
      cursor = await cursor.continue();
    }
    const byId = new Map(parseRows(rows).concat(queued).map((m) => [m.id, m]));
    return [...byId.values()].sort(compareEvents).slice(-limit);
  };
  return {
    async put(message) {
      // Novelty is per connection, not per database: every tab runs its own mesh and must deliver a
      // message once even when another tab of this browser stored it first. It is known without a
      // read, so delivery does not wait on other tabs' transactions; the write joins a batch.
      if (reported.has(message.id)) return false;
      reported.add(message.id);
      vectorOf(message.room).tracker.add(message.author, message.seq);
      const durable = writes.durable(message);
      const { outbox } = writes;
      // A durable message the outbox cannot hold (full during a burst) waits for its own commit.
      const inOutbox = durable && outbox !== null && outbox.add(message);
      const written = writer.add(message, durable).then(
        () => outbox?.remove(message.id),
        (error: unknown) => {
          // Not stored: let a later copy (relay, history sync) try again.
          reported.delete(message.id);
          throw error;
        },
      );
      if (durable && !inOutbox) await written;
      else written.catch(writes.onWriteError);
      return true;
    },
    async has(id) {
      if (reported.has(id)) return true;
      return (await db.getKey('messages', id)) !== undefined;
    },
    async vector(room) {
      const entry = vectorOf(room);
      // Rows other tabs or earlier sessions stored: one key walk per room and connection. Adding them
      // to the tracker is idempotent, so puts racing with the walk are counted correctly.
      entry.loaded ??= (async () => {
        for (const [author, seq] of await readFloors(db, room)) entry.tracker.raise(author, seq);
        let cursor = await db.transaction('messages').store.index('stream').openKeyCursor(roomRange(room));
        while (cursor) {
          const [, author, seq] = cursor.key;
          // Keys come from rows as stored: a corrupt row's seq may be anything, and must not count.
          if (typeof author === 'string' && Number.isSafeInteger(seq) && seq > 0) entry.tracker.add(author, seq);
          cursor = await cursor.continue();
        }
      })();
      await entry.loaded;
      return entry.tracker.vector();
    },
    async missingFrom(room, remote, limit) {
      const own = writes.ownAuthor();
      const confirmed = remote[own];
      if (confirmed !== undefined) acked.set(`${room}\n${own}`, Math.max(acked.get(`${room}\n${own}`) ?? 0, confirmed));
      if (limit < 1) return [];
      // Queued writes first: a batch leaves the list only once committed, so every message put so far is
      // in this snapshot or in what the read below sees (or both). No waiting on the writer: a request
      // arriving mid-intake is answered at once instead of after the whole backlog.
      const queued = unwritten(room).filter((m) => m.seq > (remote[m.author] ?? 0));
      const index = db.transaction('messages').store.index('stream');
      const reads: Promise<unknown[]>[] = [];
      // One step per author ([room, author, Infinity] sorts after all its seqs) and one bounded read of
      // its missing run; the reads run in the transaction while the walk goes on.
      let cursor = await index.openKeyCursor(roomRange(room));
      while (cursor) {
        const [, author] = cursor.key;
        const missing = IDBKeyRange.bound([room, author, remote[author] ?? 0], [room, author, Infinity], true);
        reads.push(index.getAll(missing, limit));
        cursor = await cursor.continue([room, author, Infinity]);
      }
      const stored = parseRows((await Promise.all(reads)).flat());
      return oldestMissing(stored.concat(queued), limit);
    },
    async get(room, id) {
      const queued = unwritten(room).find((m) => m.id === id);
      if (queued) return queued;
      const [event] = parseRows([await db.get('messages', id)].filter((row) => row !== undefined));
      return event && event.room === room ? event : null;
    },
    async targeting(room, id, limit) {
      const queued = unwritten(room).filter((m) => 'target' in m && m.target === id);
      const rows = await db.transaction('messages').store.index('target').getAll(IDBKeyRange.only([room, id]), limit);
      return parseRows(rows).concat(queued).slice(0, limit);
    },
    async deleteTargets(room) {
      const rows = await db.transaction('messages').store.index('kind').getAll(IDBKeyRange.only([room, 'delete']));
      const queued = unwritten(room);
      return parseRows(rows)
        .concat(queued)
        .flatMap((event) => ('kind' in event && event.kind === 'delete' && event.target !== undefined ? [event.target] : []));
    },
    async redact(event) {
      await writer.settled();
      // Replaces a stored event only (the HistoryStore contract): a tombstone of something never stored
      // would otherwise appear here outside put(), unannounced to the version vector's bookkeeping.
      const tx = db.transaction('messages', 'readwrite');
      if ((await tx.store.getKey(event.id)) !== undefined) await tx.store.put(event);
      await tx.done;
    },
    async maxLamport(room) {
      const queued = unwritten(room);
      // Keys are not rows: a corrupt row may carry a string or a huge Lamport time. Only numbers count,
      // and the mesh's clock refuses to adopt one too far ahead (a poisoned row stored by v1).
      const index = db.transaction('messages').store.index('order');
      let cursor = await index.openKeyCursor(roomRange(room), 'prev');
      let stored = 0;
      for (let looked = 0; cursor && looked < MAX_LAMPORT_KEYS_SCANNED; looked++) {
        const lamport = cursor.key[1];
        if (typeof lamport === 'number' && Number.isSafeInteger(lamport)) {
          stored = lamport;
          break;
        }
        cursor = await cursor.continue();
      }
      return queued.reduce((max, m) => Math.max(max, m.lamport), stored);
    },
    recent: (room: RoomName, limit: number) => readOrder(room, null, limit),
    before: (room: RoomName, at: MessageCursor, limit: number) => readOrder(room, at, limit),
    skippedRows,
    async droppedOlder(room) {
      return (await readFloors(db, room)).size > 0;
    },
    trim,
    settled: () => writer.settled(),
  };
}

function keysOf(db: HistoryDatabase): KeyStore {
  return {
    // Unparsed: whatever is stored may be anything (loadOrCreateIdentity parses it).
    load: () => db.get('keys', IDENTITY_KEY),
    async save(pair) {
      await db.put('keys', pair, IDENTITY_KEY);
    },
  };
}
