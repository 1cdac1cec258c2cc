import { describe, expect, it } from 'vitest';
import { AUTHOR_THROTTLE_MEMORY_MS, type LegacyMessage, LINK_BYTE_BUDGET, LINK_FRAME_BUDGET, LINK_OVERAGE_BUDGET, type RoomEvent, signChatMessage, utf8Length } from '../src/index';
import { createFakeClock, createMemoryHistory } from '../src/testing/index';
import { createAuthorBudget } from '../src/mesh/author-budget';
import { createHistorySync } from '../src/mesh/history-sync';
import { zeroCounters } from '../src/mesh/mesh-defaults';
import { createLinkBudget } from '../src/mesh/link-budget';
import { createTokenBucket } from '../src/mesh/token-bucket';
import { createInstantIdentity } from './helpers/instant-crypto';
import { peerIdOf, ROOM, uuid } from './helpers/sim';

describe('token bucket', () => {
  it('gives its burst at once (N), refuses one more (N+1), and refills at its rate', () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({ perSecond: 4, burst: 10 }, clock.now);
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    expect(bucket.readyAt()).toBe(clock.now() + 250);
    clock.advance(249);
    expect(bucket.take()).toBe(false);
    clock.advance(1);
    expect(bucket.take()).toBe(true);
    clock.advance(60_000);
    expect(bucket.level()).toBe(10); // never above its burst
  });

  it('takes nothing when it refuses, and mints nothing when the clock steps back', () => {
    let now = 1000;
    const bucket = createTokenBucket({ perSecond: 1, burst: 5 }, () => now);
    expect(bucket.take(5)).toBe(true);
    expect(bucket.take(2)).toBe(false);
    now = 0;
    expect(bucket.level()).toBe(0);
    now = 2000;
    expect(bucket.take(1)).toBe(true);
  });
});

describe('link budget', () => {
  it('admits LINK_FRAME_BUDGET.burst frames at once (N) and drops the next (N+1)', () => {
    const clock = createFakeClock();
    const budget = createLinkBudget(clock.now);
    for (let i = 0; i < LINK_FRAME_BUDGET.burst; i++) expect(budget.charge('ping', 60)).toBe('admit');
    expect(budget.charge('ping', 60)).toBe('drop');
    clock.advance(1000 / LINK_FRAME_BUDGET.perSecond);
    expect(budget.charge('ping', 60)).toBe('admit');
  });

  it('admits LINK_BYTE_BUDGET.burst bytes at once (N), drops one byte more (N+1), but not history batches', () => {
    const clock = createFakeClock();
    const budget = createLinkBudget(clock.now);
    expect(budget.charge('chat', LINK_BYTE_BUDGET.burst)).toBe('admit');
    expect(budget.charge('chat', 1)).toBe('drop');
    expect(budget.charge('history-batch', 256 * 1024)).toBe('admit');
  });

  it('closes after LINK_OVERAGE_BUDGET.burst dropped frames (N drops, N+1 closes)', () => {
    const clock = createFakeClock();
    const budget = createLinkBudget(clock.now);
    expect(budget.charge('chat', LINK_BYTE_BUDGET.burst)).toBe('admit');
    for (let i = 0; i < LINK_OVERAGE_BUDGET.burst; i++) expect(budget.charge('chat', 1000)).toBe('drop');
    expect(budget.charge('chat', 1000)).toBe('close');
  });
});

describe('author budget', () => {
  it('throttles an author once per episode and keeps authors apart', () => {
    const clock = createFakeClock();
    const throttled: [string, number][] = [];
    const budget = createAuthorBudget({
      now: clock.now, maxAuthors: 10, onThrottled: (author, until) => throttled.push([author, until]),
      messages: { perSecond: 1, burst: 2 }, storage: { perSecond: 1000, burst: 10_000 },
    });
    expect([budget.admit('a', 10), budget.admit('a', 10), budget.admit('a', 10), budget.admit('a', 10)]).toEqual([true, true, false, false]);
    expect(budget.admit('b', 10)).toBe(true);
    expect(throttled).toEqual([['a', clock.now() + 1000]]);
    clock.advance(1000);
    expect(budget.admit('a', 10)).toBe(true);
    expect(budget.admit('a', 10)).toBe(false);
    expect(throttled).toHaveLength(2);
  });

  it('lets history through free for an author never throttled, and charges it for AUTHOR_THROTTLE_MEMORY_MS after a throttle', () => {
    const clock = createFakeClock();
    const budget = createAuthorBudget({
      now: clock.now, maxAuthors: 10, onThrottled: () => undefined,
      messages: { perSecond: 1, burst: 1 }, storage: { perSecond: 1000, burst: 10_000 },
    });
    for (let i = 0; i < 100; i++) expect(budget.admitHistory('honest', 10)).toBe(true);
    expect([budget.admit('flood', 10), budget.admit('flood', 10)]).toEqual([true, false]);
    expect(budget.admitHistory('flood', 10)).toBe(false);
    clock.advance(AUTHOR_THROTTLE_MEMORY_MS);
    expect([budget.admitHistory('flood', 10), budget.admitHistory('flood', 10)]).toEqual([true, false]);
    clock.advance(AUTHOR_THROTTLE_MEMORY_MS + 1);
    expect([budget.admitHistory('flood', 10), budget.admitHistory('flood', 10)]).toEqual([true, true]);
  });
});

describe('history answer budget', () => {
  async function answerer(burst: number) {
    const clock = createFakeClock();
    const store = createMemoryHistory();
    const identity = createInstantIdentity(1);
    const messages: LegacyMessage[] = [];
    for (let seq = 1; seq <= 5; seq++) {
      const m = await signChatMessage(identity, {
        id: uuid(3, seq), room: ROOM, author: peerIdOf(1), seq, lamport: seq, sentAt: 0, name: 'a', body: `m${seq}`, publicKey: identity.publicKey,
      });
      messages.push(m);
      await store.put(m);
    }
    const sent: { messages: RoomEvent[]; more: boolean }[] = [];
    const counters = zeroCounters();
    const sync = createHistorySync<string>({
      room: ROOM, store, counters, batchSize: 500, newestFirst: 0, now: clock.now, answerBudget: { perSecond: 0, burst },
      sendRequest: () => undefined, heldAbove: () => ({}), sendBatch: (_, batch, more) => sent.push({ messages: batch, more }),
      acceptAll: async () => [], openSessions: () => [], strike: () => undefined,
    });
    await sync.start('requester');
    // What fitBatch charges: the envelope allowance plus each message and its comma.
    const bytes = 128 + messages.reduce((sum, m) => sum + utf8Length(JSON.stringify(m)) + 1, 0);
    return { sync, sent, counters, bytes, messages };
  }

  it('answers in full while the budget covers the answer (N), then empty with more: false (N+1)', async () => {
    const probe = await answerer(1);
    const { sync, sent, counters, messages } = await answerer(probe.bytes);
    await sync.onRequest('requester', {});
    await sync.onRequest('requester', {});
    expect(sent).toEqual([{ messages, more: false }, { messages: [], more: false }]);
    expect(counters.historyAnswersLimited).toBe(1);
  });

  it('cuts an answer the budget cannot cover and does not invite the requester back at once', async () => {
    const probe = await answerer(1);
    const { sync, sent, messages } = await answerer(probe.bytes - 1);
    await sync.onRequest('requester', {});
    expect(sent).toEqual([{ messages: messages.slice(0, 4), more: false }]);
  });
});
