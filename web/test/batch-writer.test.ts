import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../src/store/batch-writer';

describe('batch writer', () => {
  it('writes everything added in one turn as one batch, batches in order', async () => {
    const batches: number[][] = [];
    const writer = createBatchWriter<number>(async (items) => void batches.push(items), () => {});
    for (let i = 0; i < 100; i++) writer.add(i);
    await writer.settled();
    writer.add(100);
    writer.add(101);
    await writer.settled();
    expect(batches.map((b) => b.length)).toEqual([100, 2]);
    expect(batches.flat()).toEqual(Array.from({ length: 102 }, (_, i) => i));
  });

  it('waits for a write in progress before settling, and counts what is pending', async () => {
    let release: () => void = () => {};
    const writer = createBatchWriter<string>(() => new Promise<void>((resolve) => (release = resolve)), () => {});
    writer.add('a');
    expect(writer.pending()).toBe(1);
    let settled = false;
    const done = writer.settled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await done;
    expect(writer.pending()).toBe(0);
  });

  it('reports a failed write and keeps writing later batches', async () => {
    const errors: unknown[] = [];
    const written: string[] = [];
    let fail = true;
    const writer = createBatchWriter<string>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('quota');
      }
      written.push(...items);
    }, (error) => errors.push(error));
    writer.add('lost');
    await writer.settled();
    writer.add('kept');
    await writer.settled();
    expect(errors).toHaveLength(1);
    expect(written).toEqual(['kept']);
  });
});
