import { describe, expect, it } from 'vitest';
import { createVectorTracker } from '../src/store/vector-tracker';

describe('vector tracker', () => {
  it('tracks the contiguous run per author, whatever the arrival order', () => {
    const tracker = createVectorTracker();
    for (const seq of [3, 1, 5, 2]) tracker.add('a', seq);
    tracker.add('b', 2);
    expect(tracker.vector()).toEqual({ a: 3 });
    tracker.add('a', 4);
    tracker.add('b', 1);
    expect(tracker.vector()).toEqual({ a: 5, b: 2 });
  });

  it('ignores seqs it already holds', () => {
    const tracker = createVectorTracker();
    for (const seq of [1, 2, 2, 1, 4, 4]) tracker.add('a', seq);
    tracker.add('a', 3);
    expect(tracker.vector()).toEqual({ a: 4 });
  });
});
