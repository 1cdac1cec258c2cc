import { MAX_HELD_SEQS } from '../protocol/limits';
import type { VersionVector } from './mesh-api';
import { remember } from './bounded-maps';

/** Per author session: seqs held above the version vector's contiguous mark. */
export type HeldSeqs = Record<string, number[]>;

/**
 * Remembers the seqs of messages this peer gained (flood or sync) during this session, so that a
 * history request after a gap can list what it holds above each mark: the answer then sends the gap
 * only, not everything above it again. Memory only: after a reload the first answer may re-send
 * (de-duplicated, as before). Bounded: the oldest seqs are forgotten first.
 */
export interface HeldSeqsTracker {
  add(author: string, seq: number): void;
  /** What to list in a request made with `vector`; at most MAX_HELD_SEQS seqs, lowest first per author. */
  above(vector: VersionVector): HeldSeqs;
  size(): number;
}

export function createHeldSeqsTracker(maxEntries = 4 * MAX_HELD_SEQS): HeldSeqsTracker {
  // Insertion order = age; the key is `${seq}:${author}` so one Map bounds every author at once.
  const entries = new Map<string, { author: string; seq: number }>();

  return {
    add(author, seq) {
      remember(entries, `${seq}:${author}`, { author, seq }, maxEntries);
    },
    above(vector) {
      const byAuthor = new Map<string, number[]>();
      for (const [key, { author, seq }] of entries) {
        // Covered by the mark now: the vector says it already.
        if (seq <= (vector[author] ?? 0)) {
          entries.delete(key);
          continue;
        }
        const list = byAuthor.get(author) ?? [];
        byAuthor.set(author, list);
        list.push(seq);
      }
      const held: HeldSeqs = {};
      let budget = MAX_HELD_SEQS;
      for (const [author, seqs] of byAuthor) {
        if (budget === 0) break;
        const listed = seqs.sort((a, b) => a - b).slice(0, budget);
        held[author] = listed;
        budget -= listed.length;
      }
      return held;
    },
    size: () => entries.size,
  };
}
