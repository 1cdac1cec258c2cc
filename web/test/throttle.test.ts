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
  it('backs off while jobs keep coming: the spacing doubles from the first interval up to the longest', async () => {
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
    expect(runs).toEqual([0, 4, 12, 28, 60, 110, 160]);
  });

  it('runs a job at once after a quiet period, or once the current spacing has passed', async () => {
    const clock = createFakeClock(1_000);
    const schedule = throttledScheduler(clock, 50, 4);
    const runs: number[] = [];
    const job = () => runs.push(clock.now() - 1_000);
    schedule(job);
    await Promise.resolve();
    expect(runs).toEqual([0]);
    clock.advance(2);
    schedule(job); // 2 ms after a run: waits for the 4 ms spacing
    await Promise.resolve();
    expect(runs).toEqual([0]);
    await runFor(clock, 2);
    expect(runs).toEqual([0, 4]);
    clock.advance(20);
    schedule(job); // 20 ms later: past the (doubled) 8 ms spacing, so at once
    await Promise.resolve();
    expect(runs).toEqual([0, 4, 24]);
    clock.advance(500);
    schedule(job);
    await Promise.resolve();
    expect(runs).toEqual([0, 4, 24, 524]);
  });
});
