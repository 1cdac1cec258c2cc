import { describe, expect, it } from 'vitest';
import { backoffDelay } from '@shoal/shared/link';

describe('backoffDelay', () => {
  it('doubles the cap per attempt and jitters within its upper half', () => {
    const options = { baseMs: 100, maxMs: 10_000 };
    expect(backoffDelay(0, () => 0, options)).toBe(50);
    expect(backoffDelay(0, () => 0.999999, options)).toBe(100);
    expect(backoffDelay(3, () => 0, options)).toBe(400);
  });

  it('never exceeds the maximum, even after many attempts', () => {
    const options = { baseMs: 100, maxMs: 10_000 };
    for (const attempt of [7, 8, 50, 5_000]) expect(backoffDelay(attempt, () => 0.999999, options)).toBeLessThanOrEqual(10_000);
  });
});
