import type { Clock } from '@shoal/shared';

/** The Clock contract over the page's own timers. */
export function browserClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(timerId(handle)),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (handle) => clearInterval(timerId(handle)),
  };
}

/** Handles come back typed `unknown` from the contract; in a page they are the numbers we handed out. */
function timerId(handle: unknown): number | undefined {
  return typeof handle === 'number' ? handle : undefined;
}
