import { type ChatMessage, compareMessages, type HistoryStore, type VersionVector } from './mesh-api';
import type { RoomName } from '../protocol/signal-messages';

/** A HistoryStore in memory, for tests, simulations and benchmarks; same contract as the IndexedDB one. */
export interface MemoryHistory extends HistoryStore {
  /** Every stored message of a room in display order (compareMessages). */
  messages(room: RoomName): ChatMessage[];
}

export function createMemoryHistory(): MemoryHistory {
  const byId = new Map<string, ChatMessage>();
  /** room -> author -> seqs held; the vector is the highest contiguous seq of each author. */
  const streams = new Map<string, Map<string, Set<number>>>();
  const contiguous = new Map<string, Map<string, number>>();

  const roomMessages = (room: string): ChatMessage[] =>
    [...byId.values()].filter((m) => m.room === room).sort(compareMessages);

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
    async vector(room) {
      const vector: VersionVector = {};
      for (const [author, mark] of contiguous.get(room) ?? []) if (mark > 0) vector[author] = mark;
      return vector;
    },
    async missingFrom(room, remote, limit) {
      const out: ChatMessage[] = [];
      for (const m of roomMessages(room)) {
        if (out.length >= limit) break;
        if (m.seq > (remote[m.author] ?? 0)) out.push(m);
      }
      return out;
    },
    async maxLamport(room) {
      let max = 0;
      for (const m of byId.values()) if (m.room === room && m.lamport > max) max = m.lamport;
      return max;
    },
    messages: roomMessages,
  };
}
