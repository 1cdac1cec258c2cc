import type { Clock } from '@shoal/shared';

/**
 * A scheduler for render work: the first job after a quiet period runs on the next microtask (no added
 * latency for a live chat), later ones wait until `intervalMs` after the previous run, so a burst of
 * thousands of deliveries (history sync verifying one message per task) costs a render per interval
 * instead of one per message. Callers keep at most one job outstanding.
 */
export function throttledScheduler(clock: Pick<Clock, 'now' | 'setTimeout'>, intervalMs: number): (job: () => void) => void {
  let lastRun = Number.NEGATIVE_INFINITY;
  const run = (job: () => void) => {
    lastRun = clock.now();
    job();
  };
  return (job) => {
    const wait = lastRun + intervalMs - clock.now();
    if (wait <= 0) queueMicrotask(() => run(job));
    else clock.setTimeout(() => run(job), wait);
  };
}
