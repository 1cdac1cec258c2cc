import { type HistoryStore, type RoomEvent, type RoomName, type VersionVector, compareEvents, toRoomEvent } from '@shoal/shared';
import Database from 'better-sqlite3';

export interface SqliteHistoryOptions {
  /** Events kept per room; past it the oldest (display order) are deleted. Default null: no limit. */
  maxEvents: number | null;
}

export interface SqliteHistory extends HistoryStore {
  /** Rows that no longer parse as a RoomEvent (re-parsed on every read): skipped, counted. */
  skippedRows(): number;
  /** The newest `limit` stored events of a room, in display order (compareEvents). */
  newest(room: RoomName, limit: number): RoomEvent[];
  /** Events stored for a room. */
  count(room: RoomName): number;
  /**
   * Resolves once every write made so far is committed (durable against a killed process). Output that
   * promises durability — printing an event, answering for it — waits for this first.
   */
  committed(): Promise<void>;
  /** Commits what is pending and closes the file. */
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  room TEXT NOT NULL,
  author TEXT NOT NULL,
  seq INTEGER NOT NULL,
  lamport INTEGER NOT NULL,
  target TEXT,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_order ON events (room, lamport, id);
CREATE INDEX IF NOT EXISTS events_stream ON events (room, author, seq);
CREATE INDEX IF NOT EXISTS events_target ON events (room, target) WHERE target IS NOT NULL;
CREATE TABLE IF NOT EXISTS marks (
  room TEXT NOT NULL,
  author TEXT NOT NULL,
  mark INTEGER NOT NULL,
  PRIMARY KEY (room, author)
) WITHOUT ROWID;
`;

/**
 * The keeper's HistoryStore in SQLite (`file` a path, or ':memory:' for a peer that keeps nothing). Same
 * contract as memory-history (shared/src/testing/history-store-contract.ts).
 *
 * Durability: WAL with synchronous=NORMAL makes every committed transaction survive a killed process
 * (kill -9); only an OS crash or power loss can lose the last ones, which peers then sync back (the
 * version vector announced after a restart says they are missing). Writes are group-committed: the
 * first write opens a transaction that commits on the next turn of the event loop, so a history sync
 * of thousands of events costs a few commits, not one each (one commit per event capped ingest near
 * 1,000 events/s here). Whoever reports an event as kept waits for `committed()` first.
 */
export function openSqliteHistory(file: string, options: SqliteHistoryOptions = { maxEvents: null }): SqliteHistory {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  let skipped = 0;

  const insert = db.prepare('INSERT OR IGNORE INTO events (id, room, author, seq, lamport, target, json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const hasSeq = db.prepare<[string, string, number], { one: number }>('SELECT 1 AS one FROM events WHERE room = ? AND author = ? AND seq = ? LIMIT 1');
  const getMark = db.prepare<[string, string], { mark: number }>('SELECT mark FROM marks WHERE room = ? AND author = ?');
  const setMark = db.prepare('INSERT INTO marks (room, author, mark) VALUES (?, ?, ?) ON CONFLICT (room, author) DO UPDATE SET mark = excluded.mark');
  const byId = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE id = ?');
  const getOne = db.prepare<[string, string], { json: string }>('SELECT json FROM events WHERE id = ? AND room = ?');
  const byTarget = db.prepare<[string, string, number], { json: string }>('SELECT json FROM events WHERE room = ? AND target = ? LIMIT ?');
  const replace = db.prepare('UPDATE events SET json = ? WHERE id = ? AND room = ?');
  const marksOf = db.prepare<[string], { author: string; mark: number }>('SELECT author, mark FROM marks WHERE room = ?');
  /** Every author of the room has a marks row (mark 0 until its seq 1 arrives). */
  const authorsOf = db.prepare<[string], { author: string }>('SELECT author FROM marks WHERE room = ?');
  const streamAfter = db.prepare<[string, string, number, number], { json: string }>(
    'SELECT json FROM events WHERE room = ? AND author = ? AND seq > ? ORDER BY seq LIMIT ?',
  );
  const maxLamport = db.prepare<[string], { max: number | null }>('SELECT MAX(lamport) AS max FROM events WHERE room = ?');
  const newest = db.prepare<[string, number], { json: string }>('SELECT json FROM events WHERE room = ? ORDER BY lamport DESC, id DESC LIMIT ?');
  const countOf = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE room = ?');
  const trim = db.prepare(
    'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE room = ? ORDER BY lamport, id LIMIT ?)',
  );
  /** Rows per room, counted once and then kept in step, so retention needs no COUNT per put. */
  const counts = new Map<string, number>();
  const roomCount = (room: string) => {
    let n = counts.get(room);
    if (n === undefined) {
      n = countOf.get(room)?.n ?? 0;
      counts.set(room, n);
    }
    return n;
  };

  /** Every row read back is re-parsed: the file is outside our control (another version, an editor, a bad disk). */
  const parse = (row: { json: string } | undefined): RoomEvent | null => {
    if (!row) return null;
    let value: unknown;
    try {
      value = JSON.parse(row.json);
    } catch {
      value = null;
    }
    const event = toRoomEvent(value);
    if (!event) skipped += 1;
    return event;
  };
  const parseAll = (rows: { json: string }[]) => rows.map(parse).filter((e): e is RoomEvent => e !== null);

  /** Group commit: an open transaction and who waits for it to commit. */
  let open = false;
  const waiting: Array<() => void> = [];
  const commit = () => {
    if (!open) return;
    db.exec('COMMIT');
    open = false;
    for (const resolve of waiting.splice(0)) resolve();
  };
  const inTransaction = <T>(write: () => T): T => {
    if (!open) {
      db.exec('BEGIN');
      open = true;
      setImmediate(commit);
    }
    return write();
  };

  const putRow = (event: RoomEvent): boolean => {
    const target = 'target' in event && event.target !== undefined ? event.target : null;
    const inserted = insert.run(event.id, event.room, event.author, event.seq, event.lamport, target, JSON.stringify(event)).changes > 0;
    if (!inserted) return false;
    const stored = getMark.get(event.room, event.author)?.mark;
    let mark = stored ?? 0;
    while (hasSeq.get(event.room, event.author, mark + 1)) mark++;
    if (mark !== stored) setMark.run(event.room, event.author, mark);
    const n = roomCount(event.room) + 1;
    counts.set(event.room, n);
    if (options.maxEvents !== null && n > options.maxEvents) {
      // Retention drops the oldest in display order; the version vector keeps saying we had them, so
      // peers do not resend what was deliberately let go.
      trim.run(event.room, n - options.maxEvents);
      counts.set(event.room, options.maxEvents);
    }
    return true;
  };

  // Nested in the open group transaction this is a savepoint: a failing put leaves no half-written rows.
  const putAtomically = db.transaction(putRow);

  return {
    async put(event) {
      return inTransaction(() => putAtomically(event));
    },
    async has(id) {
      return byId.get(id) !== undefined;
    },
    async get(room, id) {
      return parse(getOne.get(id, room));
    },
    async targeting(room, id, limit) {
      return parseAll(byTarget.all(room, id, limit));
    },
    async redact(event) {
      inTransaction(() => replace.run(JSON.stringify(event), event.id, event.room));
    },
    async vector(room) {
      const vector: VersionVector = {};
      for (const { author, mark } of marksOf.all(room)) if (mark > 0) vector[author] = mark;
      return vector;
    },
    async missingFrom(room, remote, limit) {
      // Per author stream, an index seek past what the remote holds; the merge keeps the oldest `limit`.
      // A stream's Lamport times rise with its seqs, so the oldest `limit` overall are among these.
      const found: RoomEvent[] = [];
      for (const { author } of authorsOf.all(room)) {
        found.push(...parseAll(streamAfter.all(room, author, remote[author] ?? 0, limit)));
      }
      return found.sort(compareEvents).slice(0, limit);
    },
    async maxLamport(room) {
      return maxLamport.get(room)?.max ?? 0;
    },
    skippedRows: () => skipped,
    newest: (room, limit) => parseAll(newest.all(room, limit)).reverse(),
    count: roomCount,
    committed: () => (open ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()),
    close() {
      commit();
      db.close();
    },
  };
}
