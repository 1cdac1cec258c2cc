import { describe, expect, it } from 'vitest';
import { MAX_STREAM_SLOTS } from '@shoal/shared';
import { type LockManagerLike, claimStreamSlot } from '../src/room/stream-slot';

/** Web Locks semantics for exclusive locks: held until the callback's promise settles; waiters queue. */
function fakeLocks(): LockManagerLike {
  const held = new Set<string>();
  const waiting = new Map<string, Array<() => void>>();
  const run = async (name: string, callback: (lock: unknown) => Promise<void>) => {
    held.add(name);
    try {
      await callback({ name });
    } finally {
      held.delete(name);
      waiting.get(name)?.shift()?.();
    }
  };
  return {
    request(name: string, ...args: unknown[]): Promise<void> {
      const callback = args[args.length - 1] as (lock: unknown) => Promise<void>;
      const ifAvailable = args.length === 2;
      if (!held.has(name)) return run(name, callback);
      if (ifAvailable) return callback(null);
      return new Promise<void>((resolve) => {
        const queue = waiting.get(name) ?? [];
        waiting.set(name, queue);
        queue.push(() => void run(name, callback).then(resolve));
      });
    },
  } as LockManagerLike;
}

describe('stream slots', () => {
  it('gives concurrently open tabs of one profile different slots and a released slot to the next tab', async () => {
    const locks = fakeLocks();
    const first = await claimStreamSlot(locks, 'room');
    const second = await claimStreamSlot(locks, 'room');
    expect([first.slot, second.slot]).toEqual([0, 1]);
    first.release();
    await Promise.resolve();
    expect((await claimStreamSlot(locks, 'room')).slot).toBe(0);
  });

  it('keeps slots per room', async () => {
    const locks = fakeLocks();
    await claimStreamSlot(locks, 'a');
    expect((await claimStreamSlot(locks, 'b')).slot).toBe(0);
  });

  it('waits for a slot rather than share one when every slot is taken', async () => {
    const locks = fakeLocks();
    const all = [];
    for (let i = 0; i < MAX_STREAM_SLOTS; i++) all.push(await claimStreamSlot(locks, 'full'));
    let granted: number | null = null;
    const waiting = claimStreamSlot(locks, 'full').then((slot) => (granted = slot.slot));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(granted).toBeNull();
    all[0]!.release();
    await waiting;
    expect(granted).toBe(0);
  });
});
