import { describe, expect, it } from 'vitest';
import { type LegacyMessage, type RoomEvent, type MeshCounters, type SignatureVerifier } from '../src/index';
import { createFakeClock, createMemoryHistory } from '../src/testing/index';
import { createLamportClock } from '../src/mesh/lamport';
import { createMessageIntake, VERIFY_CONCURRENCY } from '../src/mesh/message-intake';
import { createSeenCache } from '../src/mesh/seen-cache';
import { eventually, peerIdOf, ROOM, uuid } from './helpers/sim';

/** A verifier the test drives: every verification waits until the test settles it. */
function heldVerifier() {
  const waiting: { signature: string; settle(ok: boolean): void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const verifier: SignatureVerifier = {
    verify: (_key, signature) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<boolean>((resolve) => waiting.push({
        signature,
        settle(ok) {
          inFlight--;
          resolve(ok);
        },
      }));
    },
    fingerprint: async () => 'fp',
    digest: async () => '',
  };
  return { verifier, waiting, maxInFlight: () => maxInFlight };
}

function message(seq: number, signature = 'good'): LegacyMessage {
  return {
    id: uuid(5, seq), room: ROOM, author: peerIdOf(1), seq, lamport: seq, sentAt: 0, name: 'a', body: `m${seq}`,
    publicKey: 'key', signature,
  };
}

function setup(verifier: SignatureVerifier) {
  const delivered: RoomEvent[] = [];
  const store = createMemoryHistory();
  const intake = createMessageIntake({
    room: ROOM, verifier, store, lamport: createLamportClock(() => 0), counters: {} as MeshCounters, maxAuthors: 10,
    seen: createSeenCache({ maxEntries: 1000, ttlMs: 60_000, clock: createFakeClock() }),
    deliver: (m) => delivered.push(m),
  });
  return { intake, delivered, store };
}

/** Lets pending promise chains run (the memory store and intake only hop through microtasks). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 2000; i++) await Promise.resolve();
};

describe('message intake of a batch', () => {
  it('verifies concurrently, at most VERIFY_CONCURRENCY at a time, and delivers in batch order', async () => {
    const held = heldVerifier();
    const { intake, delivered } = setup(held.verifier);
    const batch = Array.from({ length: VERIFY_CONCURRENCY * 2 }, (_, i) => message(i + 1));
    const outcomes = intake.acceptAll(batch);
    await eventually(() => expect(held.waiting).toHaveLength(VERIFY_CONCURRENCY));
    await flush();
    expect(held.waiting).toHaveLength(VERIFY_CONCURRENCY);
    // Verifications finish newest first: nothing may be delivered before message 1 is.
    for (const pending of [...held.waiting].reverse().slice(0, -1)) pending.settle(true);
    await flush();
    expect(delivered).toEqual([]);
    held.waiting[0]?.settle(true);
    await eventually(() => expect(held.waiting).toHaveLength(VERIFY_CONCURRENCY * 2));
    expect(delivered).toEqual(batch.slice(0, VERIFY_CONCURRENCY));
    for (const pending of held.waiting.slice(VERIFY_CONCURRENCY)) pending.settle(true);
    expect(await outcomes).toEqual(batch.map(() => 'new'));
    expect(delivered).toEqual(batch);
    expect(held.maxInFlight()).toBe(VERIFY_CONCURRENCY);
  });

  it('drops the forged and repeated messages of a batch and keeps the rest in order', async () => {
    const verifier: SignatureVerifier = { verify: async (_k, signature) => signature === 'good', fingerprint: async () => 'fp', digest: async () => '' };
    const { intake, delivered, store } = setup(verifier);
    const batch = [message(1), message(2, 'forged'), message(3), message(1), message(4)];
    expect(await intake.acceptAll(batch)).toEqual(['new', 'bad-signature', 'new', 'duplicate', 'new']);
    expect(delivered.map((m) => m.seq)).toEqual([1, 3, 4]);
    expect(store.messages(ROOM).map((m) => m.seq)).toEqual([1, 3, 4]);
  });

  it('takes a message whose store write failed again from its next copy, rather than holding it as seen', async () => {
    const verifier: SignatureVerifier = { verify: async () => true, fingerprint: async () => 'fp', digest: async () => '' };
    const { intake, delivered, store } = setup(verifier);
    const put = store.put.bind(store);
    let failures = 1;
    store.put = async (event) => {
      if (failures-- > 0) throw new Error('transaction aborted');
      return put(event);
    };
    await expect(intake.accept(message(1))).rejects.toThrow('transaction aborted');
    expect(delivered).toEqual([]);
    expect(await intake.accept(message(1))).toBe('new');
    expect(delivered.map((m) => m.seq)).toEqual([1]);
  });
});
