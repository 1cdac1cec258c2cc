import { MAX_CLOCK_SKEW_MS, MAX_COUNTER } from '../protocol/limits';

/**
 * A hybrid logical clock: Lamport times that are also milliseconds. It ticks to max(last + 1, wall
 * clock) and jumps past every time it observes, so causal order holds and the display order of a room
 * that lives for months follows the time things were said. A received time more than
 * MAX_CLOCK_SKEW_MS ahead of the local wall clock is refused, never adopted: a peer can push the room's
 * clock at most that far, and only for as long as the wall clock takes to catch up — no value it sends
 * can make anyone's own times invalid.
 */
export interface LamportClock {
  /** Time for an event created now (never above MAX_COUNTER). */
  tick(): number;
  /** Whether a received time may be adopted (a valid counter, not too far ahead of the wall clock). */
  admits(time: number): boolean;
  /** Merges an admitted time: local = max(local, seen) + 1 at the next tick. Others are ignored. */
  observe(time: number): void;
  now(): number;
}

const valid = (time: number): boolean => Number.isSafeInteger(time) && time >= 0 && time < MAX_COUNTER;

/**
 * `wall`: ms since the epoch (the mesh's injected clock). Our own wall clock is trusted only so far
 * past the room's time as we know it (half the skew others allow): a device whose clock runs days or
 * years ahead would otherwise stamp times every receiver refuses, and nobody would hear it.
 */
export function createLamportClock(wall: () => number): LamportClock {
  let time = 0;
  /** Highest time admitted from others or resumed from storage: the room's clock as we know it. */
  let room = 0;
  const admits = (seen: number): boolean => valid(seen) && seen <= wall() + MAX_CLOCK_SKEW_MS;
  const trustedWall = (): number => {
    const now = Math.floor(wall());
    return room > 0 ? Math.min(now, room + MAX_CLOCK_SKEW_MS / 2) : now;
  };
  return {
    tick: () => (time = Math.min(Math.max(time + 1, trustedWall()), MAX_COUNTER)),
    admits,
    observe(seen) {
      if (!admits(seen)) return;
      time = Math.max(time, seen);
      room = Math.max(room, seen);
    },
    now: () => time,
  };
}
