import { type RoomEvent, compareEvents } from '../protocol/room-events';
import type { RoomName } from '../protocol/signal-messages';
import type { HistoryStore, VersionVector } from './mesh-api';

/** A HistoryStore in memory, for tests, simulations and benchmarks; same contract as the IndexedDB one. */
export interface MemoryHistory extends HistoryStore {
  /** Every stored event of a room in display order (compareEvents). */
  messages(room: RoomName): RoomEvent[];
}

export function createMemoryHistory(): MemoryHistory {
  const byId = new Map<string, RoomEvent>();
  /** room -> author -> seqs held; the vector is the highest contiguous seq of each author. */
  const streams = new Map<string, Map<string, Set<number>>>();
  const contiguous = new Map<string, Map<string, number>>();

  const roomMessages = (room: string): RoomEvent[] =>
    [...byId.values()].filter((m) => m.room === room).sort(compareEvents);

  return {
    async put(message) {
      if (byId.has(message.id)) return false;
      byId.set(message.id, message);
      const authors = streams.get(message.room) ?? new Map<string, Set<number>>();
      streams.set(message.room, authors);
      const seqs = authors.get(message.author) ?? new Set<number>();
      authors.set(message.author, seqs);
      seqs.add(message.seq);
      const marks = contiguous.get(message.room) ?? new Map<string, number>();
      contiguous.set(message.room, marks);
      let mark = marks.get(message.author) ?? 0;
      while (seqs.has(mark + 1)) mark++;
      marks.set(message.author, mark);
      return true;
    },
    async has(id) {
      return byId.has(id);
    },
    async get(room, id) {
      const event = byId.get(id);
      return event && event.room === room ? event : null;
    },
    async targeting(room, id, limit) {
      const out: RoomEvent[] = [];
      for (const event of byId.values()) {
        if (out.length >= limit) break;
        if (event.room === room && 'target' in event && event.target === id) out.push(event);
      }
      return out;
    },
    async deleteTargets(room) {
      const out: string[] = [];
      for (const event of byId.values()) if (event.room === room && 'kind' in event && event.kind === 'delete' && event.target) out.push(event.target);
      return out;
    },
    async redact(event) {
      if (byId.has(event.id)) byId.set(event.id, event);
    },
    async vector(room) {
      const vector: VersionVector = {};
      for (const [author, mark] of contiguous.get(room) ?? []) if (mark > 0) vector[author] = mark;
      return vector;
    },
    async recent(room, limit) {
      return limit < 1 ? [] : roomMessages(room).slice(-limit);
    },
    async missingFrom(room, remote, limit) {
      const out: RoomEvent[] = [];
      for (const m of roomMessages(room)) {
        if (out.length >= limit) break;
        if (m.seq > (remote[m.author] ?? 0)) out.push(m);
      }
      return out;
    },
    async maxLamport(room) {
      return roomMessages(room).reduce((max, m) => Math.max(max, m.lamport), 0);
    },
    messages: roomMessages,
  };
}
