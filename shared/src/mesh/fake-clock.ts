import type { Clock } from './mesh-api';

/** A Clock driven by hand: tests advance time explicitly, so timeouts fire deterministically. */
export interface FakeClock extends Clock {
  /** Moves time forward, running every timer due on the way in time order. */
  advance(ms: number): void;
  /** Timers currently scheduled (intervals count once). */
  pending(): number;
}

interface Timer {
  id: number;
  due: number;
  fn: () => void;
  every: number | null;
}

/** Creates a fake clock starting at `start` ms (default 1,700,000,000,000: a plausible epoch time). */
export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();

  const schedule = (fn: () => void, ms: number, every: number | null): number => {
    const id = nextId++;
    timers.set(id, { id, due: now + Math.max(0, ms), fn, every });
    return id;
  };
  const cancel = (handle: unknown): void => {
    if (typeof handle === 'number') timers.delete(handle);
  };

  return {
    now: () => now,
    setTimeout: (fn, ms) => schedule(fn, ms, null),
    setInterval: (fn, ms) => schedule(fn, ms, Math.max(1, ms)),
    clearTimeout: cancel,
    clearInterval: cancel,
    pending: () => timers.size,
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let next: Timer | undefined;
        for (const timer of timers.values()) {
          if (timer.due <= target && (!next || timer.due < next.due || (timer.due === next.due && timer.id < next.id))) next = timer;
        }
        if (!next) break;
        now = next.due;
        if (next.every === null) timers.delete(next.id);
        else next.due += next.every;
        next.fn();
      }
      now = target;
    },
  };
}
