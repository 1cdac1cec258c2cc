import type { Clock } from '@shoal/shared';

/**
 * The Clock contract over Node's timers. Timers are unref'd: a pending retry or heartbeat must never be
 * what keeps a process alive after everything was closed (the process exits when its work is done).
 */
export function nodeClock(): Clock {
  const timer = (handle: unknown) => (handle instanceof Object ? (handle as NodeJS.Timeout) : undefined);
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
    clearTimeout: (handle) => clearTimeout(timer(handle)),
    setInterval: (fn, ms) => setInterval(fn, ms).unref(),
    clearInterval: (handle) => clearInterval(timer(handle)),
  };
}
