import type { Clock } from '@shoal/shared';

/**
 * A scheduler for render work that backs off under bursts. After a quiet period (no run for
 * `maxIntervalMs`) a job runs on the next microtask; each job that follows closely waits twice as long
 * after the previous run as the last one did (from `firstIntervalMs` up to `maxIntervalMs`). Live chat
 * renders at once, and two messages in quick succession cost only a few ms, while a history sync
 * delivering thousands of messages costs a render per `maxIntervalMs` after a few quick ones. A fixed
 * 50 ms spacing added up to 50 ms to live messages that followed another (p99 of the mesh benchmark).
 * Callers keep at most one job outstanding.
 */
export function throttledScheduler(clock: Pick<Clock, 'now' | 'setTimeout'>, maxIntervalMs: number, firstIntervalMs = 4): (job: () => void) => void {
  let lastRun = Number.NEGATIVE_INFINITY;
  let spacing = 0;
  const run = (job: () => void) => {
    lastRun = clock.now();
    job();
  };
  return (job) => {
    const now = clock.now();
    spacing = now - lastRun >= maxIntervalMs ? 0 : Math.min(maxIntervalMs, Math.max(firstIntervalMs, spacing * 2));
    const wait = lastRun + spacing - now;
    if (wait <= 0) queueMicrotask(() => run(job));
    else clock.setTimeout(() => run(job), wait);
  };
}
