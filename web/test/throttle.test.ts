import { describe, expect, it } from 'vitest';
import { throttledScheduler } from '../src/state/throttle';
import { createFakeClock } from './fake-clock';

describe('throttledScheduler', () => {
  it('runs the first job at once, then spaces later ones by the interval', async () => {
    const clock = createFakeClock(1_000);
    const schedule = throttledScheduler(clock, 50);
    const runs: number[] = [];
    schedule(() => runs.push(clock.now()));
    await Promise.resolve();
    expect(runs).toEqual([1_000]);
    clock.advance(10);
    schedule(() => runs.push(clock.now()));
    await Promise.resolve();
    expect(runs).toEqual([1_000]);
    clock.advance(40);
    expect(runs).toEqual([1_000, 1_050]);
    clock.advance(500);
    schedule(() => runs.push(clock.now()));
    await Promise.resolve();
    expect(runs).toEqual([1_000, 1_050, 1_550]);
  });
});
