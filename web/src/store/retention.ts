import type { RoomEvent } from '@shoal/shared';
import { type HistoryDatabase, roomRange } from './history-db-schema';

/** How much of one room a browser keeps. */
export interface RetentionLimits {
  /** Events kept per room; the oldest beyond it are dropped. Default 50,000. */
  maxEvents: number;
  /** Bytes of stored events (their JSON) per room. Default 100 MiB. */
  maxBytes: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { maxEvents: 50_000, maxBytes: 100 * 1024 * 1024 };

/** Events dropped in one transaction: keeps a big first trim from holding the database for long. */
const EVICT_BATCH = 2_000;

export interface RoomUsage {
  events: number;
  bytes: number;
}

/**
 * Drops a room's oldest events until it fits `limits`, never an event `keep` protects (the tab's own
 * events no peer has confirmed yet: they may exist nowhere else). Per author, what is dropped is a
 * prefix of its stream (Lamport times grow with seqs), so the highest dropped seq becomes that author's
 * floor: those seqs count as held and history sync does not bring them back.
 * Returns the new floors and the room's usage after the trim.
 */
export async function enforceRetention(
  db: HistoryDatabase,
  room: string,
  limits: RetentionLimits,
  usage: RoomUsage,
  keep: (event: RoomEvent) => boolean,
  parse: (row: unknown) => RoomEvent | null,
): Promise<{ floors: Map<string, number>; usage: RoomUsage }> {
  const floors = new Map<string, number>();
  let { events, bytes } = usage;
  while (events > limits.maxEvents || bytes > limits.maxBytes) {
    const tx = db.transaction(['messages', 'floors'], 'readwrite');
    let cursor = await tx.objectStore('messages').index('order').openCursor(roomRange(room));
    let dropped = 0;
    let kept = 0;
    while (cursor && dropped < EVICT_BATCH && (events > limits.maxEvents || bytes > limits.maxBytes)) {
      const event = parse(cursor.value);
      if (event && keep(event)) kept++;
      else {
        const size = JSON.stringify(cursor.value).length;
        if (event) floors.set(event.author, Math.max(floors.get(event.author) ?? 0, event.seq));
        await cursor.delete();
        events--;
        bytes -= size;
        dropped++;
      }
      cursor = await cursor.continue();
    }
    const floorStore = tx.objectStore('floors');
    for (const [author, seq] of floors) {
      const stored = await floorStore.get([room, author]);
      if (!stored || stored.seq < seq) await floorStore.put({ room, author, seq });
    }
    await tx.done;
    // Everything left is protected: stop rather than loop (the limit is exceeded until peers confirm).
    if (dropped === 0 || (kept > 0 && !cursor)) break;
  }
  return { floors, usage: { events, bytes } };
}

/** Counts a room's events and their bytes (one pass over the room; run once, then kept up to date). */
export async function measureRoom(db: HistoryDatabase, room: string): Promise<RoomUsage> {
  let events = 0;
  let bytes = 0;
  let cursor = await db.transaction('messages').store.index('order').openCursor(roomRange(room));
  while (cursor) {
    events++;
    bytes += JSON.stringify(cursor.value).length;
    cursor = await cursor.continue();
  }
  return { events, bytes };
}

/** The floors stored for a room (author -> highest seq dropped on purpose). */
export async function readFloors(db: HistoryDatabase, room: string): Promise<Map<string, number>> {
  const rows = await db.getAll('floors', IDBKeyRange.bound([room], [room, []]));
  return new Map(rows.filter((row) => typeof row.seq === 'number' && typeof row.author === 'string').map((row) => [row.author, row.seq]));
}
