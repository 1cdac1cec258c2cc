import { afterEach, describe, expect, it } from 'vitest';
import { type RoomEvent, signChatMessage } from '../src/index';
import { createSimNetwork, eventually, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

// shared/ compiles without DOM or Node types; the test runner has a console.
declare const console: { log(message: string): void };

let net: SimNetwork | undefined;
afterEach(() => net?.close());

/** Signs `count` messages of `author`'s stream concurrently (setup only: faster than count sends). */
async function signedStream(author: SimPeer, count: number): Promise<RoomEvent[]> {
  const out: Promise<RoomEvent>[] = [];
  for (let seq = 1; seq <= count; seq++) {
    out.push(signChatMessage(author.identity, {
      id: uuid(5, seq), room: ROOM, author: author.id, seq, lamport: seq, sentAt: 1_700_000_000_000 + seq,
      name: 'a', body: `message ${seq} ${'x'.repeat(60)}`, publicKey: author.identity.publicKey,
    }));
  }
  return Promise.all(out);
}

describe('history sync throughput', () => {
  it('brings a late joiner 10,000 messages, each exactly once (elapsed time printed)', async () => {
    const COUNT = 10_000;
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    for (const m of await signedStream(a, COUNT)) await a.store.put(m);

    const started = Date.now();
    net.connect(0, 1);
    await eventually(() => expect(b.store.messages(ROOM)).toHaveLength(COUNT), 30_000);
    const elapsed = Date.now() - started;
    console.log(`history sync: ${COUNT} messages in ${elapsed.toFixed(0)} ms (${((COUNT / elapsed) * 1000).toFixed(0)}/s)`);

    expect(new Set(b.received.map((m) => m.id)).size).toBe(COUNT);
    expect(b.received).toHaveLength(COUNT);
    expect(b.mesh.counters()).toMatchObject({ historyMessagesReceived: COUNT, duplicatesDropped: 0, badSignatureDropped: 0 });
    // An honest sync of 10,000 messages trips no per-peer budget on either side.
    for (const p of [a, b]) {
      expect(p.mesh.counters()).toMatchObject({
        overBudgetDropped: 0, historyAnswersLimited: 0, historyPullsLimited: 0, authorThrottledDropped: 0, unsolicitedBatchesDropped: 0,
      });
    }
  }, 40_000);
});
