import type { Clock } from '@shoal/shared';

export interface BatchWriter<T> {
  /**
   * Queues an item. Background items wait up to `delayMs` for company; an urgent one flushes the queue
   * on the next microtask. Resolves once the item's batch is committed, or rejects with its error.
   */
  add(item: T, urgent: boolean): Promise<void>;
  /** Resolves once everything queued so far is written or has failed. */
  settled(): Promise<void>;
  /** Items queued or being written. */
  pending(): number;
  /**
   * Items queued or being written, oldest first: what a reader must add to the stored data to see every
   * item added so far. A batch leaves this list only once committed, so reading it before the storage
   * misses nothing (an item may be in both).
   */
  pendingItems(): T[];
}

export interface BatchWriterOptions {
  /** Longest wait of a background item before its batch is written, ms. Default 20. */
  delayMs?: number;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
}

interface Batch {
  done: Promise<void>;
  start(): void;
  timer: unknown;
  urgent: boolean;
}

/**
 * Coalesces writes into batches (one IndexedDB transaction each instead of one per message: a history
 * sync verifies and stores thousands, one per task). Batches are written one at a time, in order.
 */
export function createBatchWriter<T>(write: (items: T[]) => Promise<void>, options: BatchWriterOptions): BatchWriter<T> {
  const delayMs = options.delayMs ?? 20;
  let queue: T[] = [];
  /** Batches taken from the queue and not yet written or failed, oldest first. */
  const writing = new Set<T[]>();
  let tail: Promise<void> = Promise.resolve();
  /** The batch collecting items until it takes the queue (after its start and the previous batch). */
  let collecting: Batch | null = null;

  const open = (): Batch => {
    let start: () => void = () => {};
    const started = new Promise<void>((resolve) => (start = resolve));
    const batch: Batch = { done: started, start, timer: null, urgent: false };
    batch.done = started.then(() => {
      if (batch.timer !== null) options.clock.clearTimeout(batch.timer);
      // The batch takes the queue only when the previous one is written: items added meanwhile join it,
      // so a burst of urgent items (a scripted send of thousands of own messages) becomes a few
      // transactions instead of one each, and the backlog cannot outgrow the sends.
      const written = tail.then(() => {
        const items = queue;
        queue = [];
        collecting = null;
        writing.add(items);
        return write(items).finally(() => writing.delete(items));
      });
      // The chain goes on after a failure; the failure itself reaches every add() of that batch.
      tail = written.catch(() => {});
      return written;
    });
    return batch;
  };

  return {
    add(item, urgent) {
      queue.push(item);
      const batch = (collecting ??= open());
      if (urgent && !batch.urgent) {
        batch.urgent = true;
        queueMicrotask(batch.start);
      } else if (batch.timer === null && !batch.urgent) {
        batch.timer = options.clock.setTimeout(batch.start, delayMs);
      }
      return batch.done;
    },
    async settled() {
      const batch = collecting;
      if (batch) {
        batch.start();
        await batch.done.catch(() => {});
      }
      await tail;
    },
    pending: () => queue.length + [...writing].reduce((sum, items) => sum + items.length, 0),
    pendingItems: () => [...writing].flat().concat(queue),
  };
}
