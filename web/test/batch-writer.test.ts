import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../src/store/batch-writer';

describe('batch writer', () => {
  it('writes everything added in one turn as one batch, batches in order', async () => {
    const batches: number[][] = [];
    const writer = createBatchWriter<number>(async (items) => void batches.push(items));
    await Promise.all(Array.from({ length: 100 }, (_, i) => writer.add(i)));
    await Promise.all([writer.add(100), writer.add(101)]);
    expect(batches.map((b) => b.length)).toEqual([100, 2]);
    expect(batches.flat()).toEqual(Array.from({ length: 102 }, (_, i) => i));
  });

  it('resolves an add only once its batch is written', async () => {
    let release: () => void = () => {};
    const writer = createBatchWriter<string>(() => new Promise<void>((resolve) => (release = resolve)));
    let written = false;
    const added = writer.add('a').then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(written).toBe(false);
    expect(writer.pending()).toBe(1);
    release();
    await added;
    await writer.settled();
    expect(writer.pending()).toBe(0);
  });

  it('rejects the adds of a failed batch and keeps writing later ones', async () => {
    const written: string[] = [];
    let fail = true;
    const writer = createBatchWriter<string>(async (items) => {
      if (fail) {
        fail = false;
        throw new Error('quota');
      }
      written.push(...items);
    });
    await expect(writer.add('lost')).rejects.toThrow('quota');
    await writer.add('kept');
    await writer.settled();
    expect(written).toEqual(['kept']);
  });
});
