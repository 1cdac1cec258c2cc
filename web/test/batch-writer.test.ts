import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../src/store/batch-writer';
import { createFakeClock } from './fake-clock';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('batch writer', () => {
  it('collects background items until the delay has passed, then writes them as one batch', async () => {
    const clock = createFakeClock();
    const batches: number[][] = [];
    const writer = createBatchWriter<number>(async (items) => void batches.push(items), { clock, delayMs: 20 });
    const adds = Array.from({ length: 100 }, (_, i) => writer.add(i, false));
    await tick();
    expect(batches).toEqual([]);
    clock.advance(20);
    await Promise.all(adds);
    expect(batches.map((b) => b.length)).toEqual([100]);
  });

  it('flushes at once when an urgent item arrives, taking the queued ones along', async () => {
    const clock = createFakeClock();
    const batches: string[][] = [];
    const writer = createBatchWriter<string>(async (items) => void batches.push(items), { clock });
    void writer.add('background', false);
    await writer.add('own message', true);
    expect(batches).toEqual([['background', 'own message']]);
    expect(clock.pending()).toBe(0);
  });

  it('resolves an add only once its batch is written, and settles pending work on demand', async () => {
    const clock = createFakeClock();
    let release: () => void = () => {};
    const writer = createBatchWriter<string>(() => new Promise<void>((resolve) => (release = resolve)), { clock });
    let written = false;
    const added = writer.add('a', false).then(() => (written = true));
    const settled = writer.settled();
    await tick();
    expect(written).toBe(false);
    expect(writer.pending()).toBe(1);
    release();
    await Promise.all([added, settled]);
    expect(writer.pending()).toBe(0);
  });

  it('rejects the adds of a failed batch and keeps writing later ones', async () => {
    const clock = createFakeClock();
    const written: string[] = [];
    let fail = true;
    const writer = createBatchWriter<string>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('quota');
      }
      written.push(...items);
    }, { clock });
    await expect(writer.add('lost', true)).rejects.toThrow('quota');
    await writer.add('kept', true);
    expect(written).toEqual(['kept']);
  });
});
