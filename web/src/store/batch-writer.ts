export interface BatchWriter<T> {
  /** Queues an item; it is written with the others queued in the same turn. */
  add(item: T): void;
  /** Resolves once everything queued so far is written (or its write failed and was reported). */
  settled(): Promise<void>;
  /** Items queued or being written. */
  pending(): number;
}

/**
 * Coalesces writes: items added in one turn of the event loop go out as one `write` call (one IndexedDB
 * transaction instead of one per message, which matters when a history sync delivers thousands). Writes
 * run one at a time, in order. A failed write is reported to `onError`, never thrown at the caller.
 */
export function createBatchWriter<T>(
  write: (items: T[]) => Promise<void>,
  onError: (error: unknown) => void,
  schedule: (fn: () => void) => void = queueMicrotask,
): BatchWriter<T> {
  let queue: T[] = [];
  let writing = 0;
  let tail: Promise<void> = Promise.resolve();
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    writing += items.length;
    tail = tail
      .then(() => write(items))
      .catch(onError)
      .finally(() => {
        writing -= items.length;
      });
  };

  return {
    add(item) {
      queue.push(item);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    async settled() {
      // Items added but not yet flushed go out now rather than waiting for the scheduled turn.
      if (queue.length > 0) flush();
      await tail;
    },
    pending: () => queue.length + writing,
  };
}
