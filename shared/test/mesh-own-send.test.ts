import { afterEach, describe, expect, it } from 'vitest';
import { type RoomEvent, MeshError } from '../src/index';
import { createMemoryHistory } from '../src/testing/index';
import { createOwnWrites } from '../src/mesh/own-writes';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, type SimNetwork, type SimPeer, uuid } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

async function linkedPair(errors: unknown[] = []): Promise<[SimPeer, SimPeer]> {
  net = await createSimNetwork({ size: 2, options: { pingIntervalMs: 1000 }, onError: (e) => errors.push(e) });
  net.connect(0, 1);
  const [a, b] = net.peers as [SimPeer, SimPeer];
  await eventually(() => expect(onlineCount(a) + onlineCount(b)).toBe(2));
  return [a, b];
}

describe('own messages', () => {
  it('floods and delivers a message before its store write completes, and resolves after it', async () => {
    const [a, b] = await linkedPair();
    const put = a.store.put;
    let release = (): void => undefined;
    a.store.put = (message) => new Promise<boolean>((resolve) => {
      release = () => resolve(put(message));
    });
    let resolved = false;
    const sending = a.mesh.send('hello').then((m) => {
      resolved = true;
      return m;
    });
    await eventually(() => {
      expect(b.received.map((m) => m.body)).toEqual(['hello']);
      expect(a.received.map((m) => m.body)).toEqual(['hello']);
    });
    expect(resolved).toBe(false);
    expect(a.store.messages(ROOM)).toEqual([]);
    release();
    const message = await sending;
    expect(a.store.messages(ROOM)).toEqual([message]);
  });

  it('reports a failed write as STORE_FAILED and stores the message on a later tick', async () => {
    const errors: unknown[] = [];
    const [a, b] = await linkedPair(errors);
    const put = a.store.put;
    let failures = 2;
    a.store.put = (message) => (failures-- > 0 ? Promise.reject(new Error('quota')) : put(message));
    const message: RoomEvent = await a.mesh.send('kept');
    await eventually(() => expect(b.received).toEqual([message]));
    expect(a.received).toEqual([message]);
    expect(errors).toEqual([expect.objectContaining({ code: 'STORE_FAILED', cause: new Error('quota') })]);
    expect(errors[0]).toBeInstanceOf(MeshError);
    expect(a.store.messages(ROOM)).toEqual([]);
    net!.clock.advance(1000); // the retry fails again
    await eventually(() => expect(errors).toHaveLength(2));
    net!.clock.advance(1000);
    await eventually(() => expect(a.store.messages(ROOM)).toEqual([message]));
    expect(errors).toHaveLength(2);
    expect(a.received).toEqual([message]);
  });

  it('keeps at most maxPending failed writes for retry and reports the one it gives up', async () => {
    const store = createMemoryHistory();
    const put = store.put;
    let failing = true;
    store.put = (m) => (failing ? Promise.reject(new Error('quota')) : put(m));
    const errors: MeshError[] = [];
    const writes = createOwnWrites({ store, maxPending: 2, onError: (e) => errors.push(e as MeshError) });
    const message = (seq: number): RoomEvent => ({
      id: uuid(6, seq), room: ROOM, author: peerIdOf(1), seq, lamport: seq, sentAt: 0, name: 'a', body: 'b',
      publicKey: 'k', signature: 's',
    });
    for (const seq of [1, 2, 3]) await writes.write(message(seq));
    expect(writes.pending()).toBe(2);
    expect(errors.map((e) => e.code)).toEqual(['STORE_FAILED', 'STORE_FAILED', 'STORE_FAILED', 'STORE_FAILED']);
    expect(errors.at(-1)?.message).toContain(`gave up storing own message ${uuid(6, 1)}`);
    failing = false;
    await writes.retry();
    expect(writes.pending()).toBe(0);
    expect(store.messages(ROOM).map((m) => m.seq)).toEqual([2, 3]);
  });
});
