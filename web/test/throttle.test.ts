import { describe, expect, it } from 'vitest';
import { throttledScheduler } from '../src/state/throttle';
import { createFakeClock } from './fake-clock';

/** Advances the fake clock 1 ms at a time, letting queued microtasks run in between. */
async function runFor(clock: ReturnType<typeof createFakeClock>, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    await Promise.resolve();
    clock.advance(1);
  }
  await Promise.resolve();
}

describe('throttledScheduler', () => {
  it('under a burst runs `burst` jobs at once, then one per interval', async () => {
    const clock = createFakeClock(1_000);
    const schedule = throttledScheduler(clock, 50, 4);
    const runs: number[] = [];
    // Like a history sync: every run finds more work waiting and asks for the next one at once.
    const job = () => {
      runs.push(clock.now() - 1_000);
      if (runs.length < 7) schedule(job);
    };
    schedule(job);
    await runFor(clock, 200);
    // (runFor lets a millisecond pass between microtasks.)
    expect(runs).toEqual([0, 1, 2, 3, 50, 100, 150]);
  });

  it('runs each message of a quick exchange at once, however closely it follows the last run', async () => {
    const clock = createFakeClock(1_000);
    const schedule = throttledScheduler(clock, 50, 4);
    const runs: number[] = [];
    const job = () => runs.push(clock.now() - 1_000);
    // Ten messages 40 ms apart (the backoff this replaced held the fifth and later ones up to 50 ms), then
    // one every 50 ms for two seconds.
    for (let i = 0; i < 50; i++) {
      schedule(job);
      await Promise.resolve();
      expect(runs).toHaveLength(i + 1);
      clock.advance(i < 10 ? 40 : 50);
    }
  });

  it('catches up after a quiet period: the runs used in a burst come back one per interval', async () => {
    const clock = createFakeClock(1_000);
    const schedule = throttledScheduler(clock, 50, 2);
    const runs: number[] = [];
    const job = () => runs.push(clock.now() - 1_000);
    schedule(job);
    schedule(job);
    schedule(job);
    await Promise.resolve();
    expect(runs).toEqual([0, 0]);
    await runFor(clock, 50);
    expect(runs).toEqual([0, 0, 50]);
    clock.advance(100); // both runs back
    schedule(job);
    await Promise.resolve();
    schedule(job);
    await Promise.resolve();
    expect(runs).toEqual([0, 0, 50, 150, 150]);
    schedule(job);
    await runFor(clock, 49);
    expect(runs).toEqual([0, 0, 50, 150, 150]);
    await runFor(clock, 1);
    expect(runs).toEqual([0, 0, 50, 150, 150, 200]);
  });
});
