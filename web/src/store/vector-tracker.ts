import type { VersionVector } from '@shoal/shared';

/** Per-author streams of one room: the contiguous run 1..held, plus seqs seen beyond a gap. */
export interface VectorTracker {
  /** Records that (author, seq) is held. Idempotent, any order. */
  add(author: string, seq: number): void;
  /** Counts seqs 1..seq of `author` as held (dropped on purpose for retention: not to be fetched again). */
  raise(author: string, seq: number): void;
  /** Highest contiguous seq per author (authors with none omitted). */
  vector(): VersionVector;
}

/**
 * Keeps a room's version vector up to date incrementally. History sync asks for the vector after every
 * batch; recomputing it from IndexedDB walks every key of the room each time (quadratic over a
 * 10,000-message sync), while this is O(authors) to read and amortised O(1) per message.
 */
export function createVectorTracker(): VectorTracker {
  const streams = new Map<string, { held: number; ahead: Set<number> }>();
  return {
    add(author, seq) {
      let stream = streams.get(author);
      if (!stream) streams.set(author, (stream = { held: 0, ahead: new Set() }));
      if (seq <= stream.held) return;
      if (seq !== stream.held + 1) {
        stream.ahead.add(seq);
        return;
      }
      stream.held = seq;
      // Close the gap this seq filled: later seqs already held extend the run.
      while (stream.ahead.delete(stream.held + 1)) stream.held += 1;
    },
    raise(author, seq) {
      let stream = streams.get(author);
      if (!stream) streams.set(author, (stream = { held: 0, ahead: new Set() }));
      if (seq <= stream.held) return;
      stream.held = seq;
      for (const ahead of stream.ahead) if (ahead <= seq) stream.ahead.delete(ahead);
      while (stream.ahead.delete(stream.held + 1)) stream.held += 1;
    },
    vector() {
      const vector: VersionVector = {};
      for (const [author, stream] of streams) if (stream.held > 0) vector[author] = stream.held;
      return vector;
    },
  };
}
