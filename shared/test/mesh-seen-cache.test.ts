import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../src/testing/index';
import { createSeenCache } from '../src/mesh/seen-cache';

describe('seen cache', () => {
  it('remembers ids it has seen', () => {
    const seen = createSeenCache({ maxEntries: 10, ttlMs: 1000, clock: createFakeClock() });
    seen.add('a');
    expect(seen.has('a')).toBe(true);
    expect(seen.has('b')).toBe(false);
  });

  it('keeps at most maxEntries ids, forgetting the oldest first', () => {
    const seen = createSeenCache({ maxEntries: 3, ttlMs: 60_000, clock: createFakeClock() });
    for (const id of ['a', 'b', 'c']) seen.add(id);
    expect(seen.size()).toBe(3);
    seen.add('d');
    expect(seen.size()).toBe(3);
    expect(seen.has('a')).toBe(false);
    expect(['b', 'c', 'd'].every((id) => seen.has(id))).toBe(true);
  });

  it('forgets ids older than ttlMs', () => {
    const clock = createFakeClock();
    const seen = createSeenCache({ maxEntries: 100, ttlMs: 1000, clock });
    seen.add('old');
    clock.advance(600);
    seen.add('young');
    clock.advance(400);
    expect(seen.has('old')).toBe(false);
    expect(seen.has('young')).toBe(true);
    clock.advance(600);
    expect(seen.size()).toBe(0);
  });
});
