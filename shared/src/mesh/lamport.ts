/** A Lamport clock: ticks on every local event, jumps past every time it observes. */
export interface LamportClock {
  /** Time for a message sent now. */
  tick(): number;
  /** Merges a received message's time: local = max(local, seen) + 1. */
  observe(time: number): void;
  now(): number;
}

export function createLamportClock(start = 0): LamportClock {
  let time = start;
  return {
    tick: () => ++time,
    observe(seen) {
      time = Math.max(time, seen) + 1;
    },
    now: () => time,
  };
}
