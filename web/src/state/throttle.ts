import type { Clock } from '@shoal/shared';

/**
 * A scheduler for render work that batches only what comes faster than the screen needs: a token
 * bucket holding up to `burst` runs, refilled one per `intervalMs`. While it holds a run a job runs on
 * the next microtask; past it jobs are spaced `intervalMs` apart. A room chatting at any pace up to one
 * message per interval renders each message at once, and a history sync delivering thousands of messages
 * costs `burst` quick renders and then one per interval.
 *
 * Not a backoff that grows with every job that follows the last run closely: a steady conversation of
 * one message every 30–50 ms then waited up to the longest spacing for each message (the 8-tab chat
 * p99 of bench:mesh, issue 14). Callers keep at most one job outstanding.
 */
export function throttledScheduler(clock: Pick<Clock, 'now' | 'setTimeout'>, intervalMs: number, burst: number): (job: () => void) => void {
  let runs = burst;
  let countedAt = clock.now();
  const refill = () => {
    const now = clock.now();
    runs = Math.min(burst, runs + (now - countedAt) / intervalMs);
    countedAt = now;
  };
  return (job) => {
    refill();
    if (runs >= 1) {
      runs -= 1;
      queueMicrotask(job);
      return;
    }
    clock.setTimeout(() => {
      refill();
      runs = Math.max(0, runs - 1);
      job();
    }, Math.ceil((1 - runs) * intervalMs));
  };
}
