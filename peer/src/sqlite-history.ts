import { type HistoryStore, type RoomEvent, type RoomName, type SignedEvent, type VersionVector, compareEvents, isSigned, toRoomEvent } from '@shoal/shared';
import Database from 'better-sqlite3';

export interface SqliteHistoryOptions {
  /** Events kept per room; past it the oldest (display order) are deleted. Default null: no limit. */
  maxEvents: number | null;
}

export interface SqliteHistory extends HistoryStore {
  /** Rows that no longer parse as a RoomEvent (re-parsed on every read): skipped, counted. */
  skippedRows(): number;
  /** Events stored for a room. */
  count(room: RoomName): number;
  /** The room's stored `file` events (not deleted), newest first, at most `limit`: a keeper resumes their transfers. */
  fileEvents(room: RoomName, limit: number): SignedEvent[];
  /**
   * Resolves once every write made so far is committed (durable against a killed process). Output that
   * promises durability — printing an event, answering for it — waits for this first.
   */
  committed(): Promise<void>;
  /** Commits what is pending and closes the file. */
  close(): void;
}

/**
 * Disk layout, kept near the signed bytes (bench:keeper reports the ratio): rooms are numbered, and
 * the stored JSON leaves out `id` and `room`, which live in their own columns and are put back on read.
 * A rowid table appends in arrival order (dense pages); the id index is the only random-order one.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  no INTEGER PRIMARY KEY,
  room TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS events (
  id TEXT NOT NULL UNIQUE,
  room_no INTEGER NOT NULL,
  author TEXT NOT NULL,
  seq INTEGER NOT NULL,
  lamport INTEGER NOT NULL,
  target TEXT,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_order ON events (room_no, lamport);
CREATE INDEX IF NOT EXISTS events_stream ON events (room_no, author, seq);
CREATE INDEX IF NOT EXISTS events_target ON events (room_no, target) WHERE target IS NOT NULL;
CREATE TABLE IF NOT EXISTS marks (
  room_no INTEGER NOT NULL,
  author TEXT NOT NULL,
  mark INTEGER NOT NULL,
  PRIMARY KEY (room_no, author)
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

  type Row = { id: string; room_no: number; json: string };
  const COLUMNS = 'id, room_no, json';
  const roomNo = db.prepare<[string], { no: number }>('SELECT no FROM rooms WHERE room = ?');
  const addRoom = db.prepare<[string]>('INSERT INTO rooms (room) VALUES (?)');
  const roomName = db.prepare<[number], { room: string }>('SELECT room FROM rooms WHERE no = ?');
  const insert = db.prepare('INSERT OR IGNORE INTO events (id, room_no, author, seq, lamport, target, json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const hasSeq = db.prepare<[number, string, number], { one: number }>('SELECT 1 AS one FROM events WHERE room_no = ? AND author = ? AND seq = ? LIMIT 1');
  const getMark = db.prepare<[number, string], { mark: number }>('SELECT mark FROM marks WHERE room_no = ? AND author = ?');
  const setMark = db.prepare('INSERT INTO marks (room_no, author, mark) VALUES (?, ?, ?) ON CONFLICT (room_no, author) DO UPDATE SET mark = excluded.mark');
  const byId = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE id = ?');
  const getOne = db.prepare<[string, number], Row>(`SELECT ${COLUMNS} FROM events WHERE id = ? AND room_no = ?`);
  const byTarget = db.prepare<[number, string, number], Row>(`SELECT ${COLUMNS} FROM events WHERE room_no = ? AND target = ? LIMIT ?`);
  const replace = db.prepare('UPDATE events SET json = ? WHERE id = ? AND room_no = ?');
  const deletes = db.prepare<[number], { target: string }>(
    "SELECT target FROM events WHERE room_no = ? AND target IS NOT NULL AND json_extract(json, '$.kind') = 'delete'",
  );
  // File events carry their root in `target`, so the partial index on target finds them.
  const files = db.prepare<[number, number], Row>(
    `SELECT ${COLUMNS} FROM events WHERE room_no = ? AND target IS NOT NULL AND json_extract(json, '$.kind') = 'file' ORDER BY lamport DESC LIMIT ?`,
  );
  const marksOf = db.prepare<[number], { author: string; mark: number }>('SELECT author, mark FROM marks WHERE room_no = ?');
  const streamAfter = db.prepare<[number, string, number, number], Row>(
    `SELECT ${COLUMNS} FROM events WHERE room_no = ? AND author = ? AND seq > ? ORDER BY seq LIMIT ?`,
  );
  const maxLamport = db.prepare<[number], { max: number | null }>('SELECT MAX(lamport) AS max FROM events WHERE room_no = ?');
  const newest = db.prepare<[number, number], Row>(`SELECT ${COLUMNS} FROM events WHERE room_no = ? ORDER BY lamport DESC, id DESC LIMIT ?`);
  const countOf = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE room_no = ?');
  const trim = db.prepare('DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE room_no = ? ORDER BY lamport, id LIMIT ?)');

  /** Room numbers and names, both ways, cached: every query needs one, every read the other. */
  const numbers = new Map<string, number>();
  const names = new Map<number, string>();
  const numberOf = (room: string, create: boolean): number | null => {
    let no = numbers.get(room) ?? roomNo.get(room)?.no ?? null;
    if (no === null && create) no = Number(addRoom.run(room).lastInsertRowid);
    if (no !== null) {
      numbers.set(room, no);
      names.set(no, room);
    }
    return no;
  };
  const nameOf = (no: number): string | null => {
    const cached = names.get(no);
    if (cached !== undefined) return cached;
    const room = roomName.get(no)?.room ?? null;
    if (room !== null) names.set(no, room);
    return room;
  };
  /** Rows per room, counted once and then kept in step, so retention needs no COUNT per put. */
  const counts = new Map<number, number>();
  const roomCount = (no: number) => {
    let n = counts.get(no);
    if (n === undefined) {
      n = countOf.get(no)?.n ?? 0;
      counts.set(no, n);
    }
    return n;
  };

  /** The stored form: the event without the two fields kept in columns. */
  const toJson = (event: RoomEvent): string => {
    const { id: _id, room: _room, ...rest } = event;
    return JSON.stringify(rest);
  };
  /** Every row read back is re-parsed: the file is outside our control (another version, an editor, a bad disk). */
  const parse = (row: Row | undefined): RoomEvent | null => {
    if (!row) return null;
    let value: unknown;
    try {
      const fields: unknown = JSON.parse(row.json);
      value = typeof fields === 'object' && fields !== null ? { ...fields, id: row.id, room: nameOf(row.room_no) } : null;
    } catch {
      value = null;
    }
    const event = toRoomEvent(value);
    if (!event) skipped += 1;
    return event;
  };
  const parseAll = (rows: Row[]) => rows.map(parse).filter((e): e is RoomEvent => e !== null);

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
    const no = numberOf(event.room, true) ?? 0;
    // Counted before the insert: a first count after it would include this row twice.
    const before = roomCount(no);
    const target = 'target' in event && event.target !== undefined ? event.target : null;
    const inserted = insert.run(event.id, no, event.author, event.seq, event.lamport, target, toJson(event)).changes > 0;
    if (!inserted) return false;
    const stored = getMark.get(no, event.author)?.mark;
    let mark = stored ?? 0;
    while (hasSeq.get(no, event.author, mark + 1)) mark++;
    // Every author gets a row (mark 0 until its seq 1 arrives): missingFrom walks authors from here.
    if (mark !== stored) setMark.run(no, event.author, mark);
    const n = before + 1;
    counts.set(no, n);
    if (options.maxEvents !== null && n > options.maxEvents) {
      // Retention drops the oldest in display order; the version vector keeps saying we had them, so
      // peers do not resend what was deliberately let go.
      trim.run(no, n - options.maxEvents);
      counts.set(no, options.maxEvents);
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
      const no = numberOf(room, false);
      return no === null ? null : parse(getOne.get(id, no));
    },
    async targeting(room, id, limit) {
      const no = numberOf(room, false);
      return no === null ? [] : parseAll(byTarget.all(no, id, limit));
    },
    async deleteTargets(room) {
      const no = numberOf(room, false);
      return no === null ? [] : deletes.all(no).map((row) => row.target);
    },
    async redact(event) {
      const no = numberOf(event.room, false);
      if (no !== null) inTransaction(() => replace.run(toJson(event), event.id, no));
    },
    async vector(room) {
      const vector: VersionVector = {};
      const no = numberOf(room, false);
      if (no !== null) for (const { author, mark } of marksOf.all(no)) if (mark > 0) vector[author] = mark;
      return vector;
    },
    async missingFrom(room, remote, limit) {
      const no = numberOf(room, false);
      if (no === null) return [];
      // Per author stream, an index seek past what the remote holds; the merge keeps the oldest `limit`.
      // A stream's Lamport times rise with its seqs, so the oldest `limit` overall are among these.
      const found: RoomEvent[] = [];
      for (const { author } of marksOf.all(no)) found.push(...parseAll(streamAfter.all(no, author, remote[author] ?? 0, limit)));
      return found.sort(compareEvents).slice(0, limit);
    },
    async maxLamport(room) {
      const no = numberOf(room, false);
      return no === null ? 0 : (maxLamport.get(no)?.max ?? 0);
    },
    skippedRows: () => skipped,
    async recent(room, limit) {
      const no = numberOf(room, false);
      return no === null ? [] : parseAll(newest.all(no, limit)).reverse();
    },
    fileEvents(room, limit) {
      const no = numberOf(room, false);
      return no === null ? [] : parseAll(files.all(no, limit)).filter(isSigned);
    },
    count(room) {
      const no = numberOf(room, false);
      return no === null ? 0 : roomCount(no);
    },
    committed: () => (open ? new Promise<void>((resolve) => waiting.push(resolve)) : Promise.resolve()),
    close() {
      commit();
      db.close();
    },
  };
}
