import { describe, expect, it } from 'vitest';
import { createChunkScheduler, DEFAULT_SCHEDULER_OPTIONS } from '../src/files/chunk-scheduler';
import type { PeerId } from '../src/index';
import { peerIdOf, seededRandom } from './helpers/sim';

const A: PeerId = peerIdOf(1);
const B: PeerId = peerIdOf(2);
const all = (n: number) => new Set(Array.from({ length: n }, (_, i) => i));
const options = { ...DEFAULT_SCHEDULER_OPTIONS, initialWindow: 4, maxWindow: 8, requestTimeoutMs: 1_000, random: seededRandom(3) };

describe('chunk scheduler', () => {
  it('asks two full holders for different chunks, sampled across the file rather than its first ones', () => {
    const s = createChunkScheduler(1_000, options);
    s.setHolder(A, all(1_000));
    s.setHolder(B, all(1_000));
    const plan = s.plan(0);
    const picked = [...(plan.get(A) ?? []), ...(plan.get(B) ?? [])];
    expect(picked).toHaveLength(8);
    expect(new Set(picked).size).toBe(8);
    expect(Math.max(...picked)).toBeGreaterThan(50);
  });

  it('asks a holder first for the chunks only it has', () => {
    const s = createChunkScheduler(20, options);
    s.setHolder(A, all(20));
    s.setHolder(B, all(10));
    // A alone holds 10..19: every one of its picks is among them.
    const plan = s.plan(0);
    for (const index of plan.get(A) ?? []) expect(index).toBeGreaterThanOrEqual(10);
    expect(plan.get(A)).toHaveLength(4);
  });

  it('gives a timed-out chunk to another holder and halves the slow holder’s window', () => {
    const s = createChunkScheduler(2, { ...options, initialWindow: 2 });
    s.setHolder(A, all(2));
    expect(s.plan(0).get(A)).toHaveLength(2);
    s.setHolder(B, all(2));
    expect(s.plan(10).size).toBe(0);
    expect(s.expire(999)).toBe(0);
    expect(s.expire(1_000)).toBe(2);
    const retry = s.plan(1_001);
    expect(retry.get(B)).toHaveLength(2);
    expect(retry.get(A)).toBeUndefined();
  });

  it('re-plans a leaving holder’s chunks, refuses chunks not asked of the sender, and stops when all are held', () => {
    const s = createChunkScheduler(3, options);
    s.setHolder(A, all(3));
    const asked = s.plan(0).get(A) ?? [];
    expect(asked).toHaveLength(3);
    s.setHolder(B, all(3));
    s.removeHolder(A);
    expect(s.take(A, asked[0]!)).toEqual({ accepted: false, unsolicited: true });
    const again = s.plan(1).get(B) ?? [];
    expect(new Set(again)).toEqual(all(3));
    expect(s.take(B, again[0]!)).toEqual({ accepted: true, unsolicited: false });
    expect(s.plan(2).size).toBe(0);
    for (const index of again) s.markHeld(index);
    expect(s.missing()).toBe(0);
  });

  it('takes a late answer to a timed-out request without calling it unsolicited, once', () => {
    const s = createChunkScheduler(2, { ...options, initialWindow: 2 });
    s.setHolder(A, all(2));
    s.plan(0);
    s.setHolder(B, all(2));
    s.expire(1_000);
    s.lacks(A, [0, 1]);
    expect(s.plan(1_001).get(B)?.sort()).toEqual([0, 1]);
    expect(s.take(A, 0)).toEqual({ accepted: true, unsolicited: false });
    s.markHeld(0);
    // B was asked for 0 again meanwhile: its answer is simply no longer needed.
    expect(s.take(B, 0)).toEqual({ accepted: false, unsolicited: false });
    expect(s.take(A, 0)).toEqual({ accepted: false, unsolicited: true });
  });

  it('forgets what a holder said it has once it says it lacks it', () => {
    const s = createChunkScheduler(1, options);
    s.setHolder(A, all(1));
    expect(s.plan(0).get(A)).toEqual([0]);
    s.lacks(A, [0]);
    expect(s.plan(1).size).toBe(0);
  });

  it('counts a chunk still being verified and stored against its holder’s window until it is held', () => {
    const s = createChunkScheduler(100, options);
    s.setHolder(A, all(100));
    const first = s.plan(0).get(A) ?? [];
    expect(first).toHaveLength(4);
    // All four delivered (the window grows to 8) but none stored yet: 4 more, not 8.
    for (const index of first) expect(s.take(A, index).accepted).toBe(true);
    expect(s.plan(1).get(A)).toHaveLength(4);
    expect(s.plan(2).size).toBe(0);
    // Stored (or given up) chunks free their slots.
    s.markHeld(first[0]!);
    s.release(first[1]!);
    s.markHeld(first[2]!);
    s.markHeld(first[3]!);
    expect(s.plan(3).get(A)).toHaveLength(4);
  });

  it('caps a holder’s window by bytes in flight, N chunks at the cap and N − 1 above it', () => {
    const big = { ...options, initialWindow: 64, maxWindow: 64, maxInFlightBytes: 1_000 };
    const at = createChunkScheduler(100, big, 100);
    at.setHolder(A, all(100));
    expect(at.plan(0).get(A)).toHaveLength(10);
    const over = createChunkScheduler(100, big, 101);
    over.setHolder(A, all(100));
    expect(over.plan(0).get(A)).toHaveLength(9);
    // Without a chunk size, maxWindow alone applies; a chunk larger than the cap still gets one request.
    const unsized = createChunkScheduler(100, big);
    unsized.setHolder(A, all(100));
    expect(unsized.plan(0).get(A)).toHaveLength(64);
    const huge = createChunkScheduler(100, big, 5_000);
    huge.setHolder(A, all(100));
    expect(huge.plan(0).get(A)).toHaveLength(1);
  });
});
