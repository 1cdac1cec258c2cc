export interface BatchWriter<T> {
  /**
   * Queues an item; it is written with the others queued in the same turn. Resolves once that batch is
   * committed, or rejects with the write's error.
   */
  add(item: T): Promise<void>;
  /** Resolves once everything queued so far is written or has failed. */
  settled(): Promise<void>;
  /** Items queued or being written. */
  pending(): number;
}

/**
 * Coalesces writes: items added in one turn of the event loop go out as one `write` call (one IndexedDB
 * transaction instead of one per message, which matters when a history sync delivers thousands or
 * several tabs write at once). Writes run one at a time, in order.
 */
export function createBatchWriter<T>(write: (items: T[]) => Promise<void>, schedule: (fn: () => void) => void = queueMicrotask): BatchWriter<T> {
  let queue: T[] = [];
  let current: Promise<void> | null = null;
  let writing = 0;
  let tail: Promise<void> = Promise.resolve();

  const flush = () => {
    const items = queue;
    queue = [];
    current = null;
    writing += items.length;
    const done = tail.then(() => write(items)).finally(() => {
      writing -= items.length;
    });
    // The chain goes on after a failure; the failure itself reaches every add() of that batch.
    tail = done.catch(() => {});
    return done;
  };

  return {
    add(item) {
      queue.push(item);
      if (!current) {
        const batch = new Promise<void>((resolve, reject) => schedule(() => flush().then(resolve, reject)));
        current = batch;
      }
      return current;
    },
    async settled() {
      await current?.catch(() => {});
      await tail;
    },
    pending: () => queue.length + writing,
  };
}
