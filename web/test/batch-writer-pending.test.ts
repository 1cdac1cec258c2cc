import { describe, expect, it, vi } from 'vitest';
import { createBatchWriter } from '../src/store/batch-writer';
import { createFakeClock } from './fake-clock';

describe('batch writer pending items', () => {
  it('lists items queued and being written, oldest first, until their batch is committed', async () => {
    const clock = createFakeClock();
    const releases: (() => void)[] = [];
    const writer = createBatchWriter<string>(() => new Promise<void>((resolve) => releases.push(resolve)), { clock });
    const first = writer.add('a', true);
    await vi.waitFor(() => expect(releases).toHaveLength(1));
    void writer.add('b', false);
    expect(writer.pendingItems()).toEqual(['a', 'b']);
    expect(writer.pending()).toBe(2);
    releases.shift()?.();
    await first;
    expect(writer.pendingItems()).toEqual(['b']);
  });

  it('drops the items of a failed batch from the list', async () => {
    const clock = createFakeClock();
    const writer = createBatchWriter<string>(async () => Promise.reject(new Error('quota')), { clock });
    await expect(writer.add('lost', true)).rejects.toThrow('quota');
    expect(writer.pendingItems()).toEqual([]);
  });

  it('writes urgent items that arrive during a write together in the next batch', async () => {
    const clock = createFakeClock();
    const batches: string[][] = [];
    const releases: (() => void)[] = [];
    const writer = createBatchWriter<string>((items) => {
      batches.push(items);
      return new Promise<void>((resolve) => releases.push(resolve));
    }, { clock });
    const first = writer.add('own 1', true);
    await vi.waitFor(() => expect(releases).toHaveLength(1));
    const later: Promise<void>[] = [];
    // One per task, as sends are: each would have flushed on its own.
    for (const item of ['own 2', 'own 3', 'own 4']) {
      later.push(writer.add(item, true));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    releases.shift()?.();
    await first;
    await vi.waitFor(() => expect(releases).toHaveLength(1));
    releases.shift()?.();
    await Promise.all(later);
    expect(batches).toEqual([['own 1'], ['own 2', 'own 3', 'own 4']]);
  });
});
