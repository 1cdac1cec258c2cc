import { afterEach, describe, expect, it } from 'vitest';
import { type PeerMessage, MAX_TYPING_SHOW_MS, TYPING_INTERVAL_MS, TYPING_MIN_GAP_MS, TYPING_START_DELAY_MS, createTypingRelay } from '../src/index';
import { createFakeClock } from '../src/testing/index';
import { attachRawPeer } from './helpers/raw-peer';
import { ROOM, createSimNetwork, eventually, onlineCount, peerIdOf, type SimNetwork, type SimPeer } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

function relay() {
  const clock = createFakeClock();
  const sent: PeerMessage[] = [];
  const heard: Array<{ peerId: string; showMs: number }> = [];
  const typing = createTypingRelay({ clock, openLinks: () => [{ send: (m) => sent.push(m) > 0 }], emit: (e) => heard.push(e) });
  return { clock, sent, heard, typing };
}

describe('typing relay', () => {
  it('announces a reader still composing after the start delay, then at most one frame per interval, then one stop', () => {
    const { clock, sent, typing } = relay();
    expect(typing.send(false)).toBe(false); // nothing announced: no stop to send
    // 30 s of a keystroke every 100 ms.
    for (let t = 0; t < 30_000; t += 100) {
      typing.send(true);
      clock.advance(100);
    }
    const starts = sent.filter((m) => m.type === 'typing' && m.showMs > 0);
    expect(starts).toHaveLength(30_000 / TYPING_INTERVAL_MS);
    expect(typing.send(false)).toBe(true);
    expect(typing.send(false)).toBe(false);
    expect(sent.at(-1)).toEqual({ type: 'typing', showMs: 0 });
    // Typing again after sending waits out the delay again.
    expect(typing.send(true)).toBe(false);
    clock.advance(TYPING_START_DELAY_MS - 1);
    expect(sent).toHaveLength(starts.length + 1);
    clock.advance(1);
    expect(sent.at(-1)).toEqual({ type: 'typing', showMs: 5_000 });
  });

  it('sends nothing for a message sent within the start delay: no start, no stop', () => {
    const { clock, sent, typing } = relay();
    typing.send(true);
    clock.advance(TYPING_START_DELAY_MS - 1);
    typing.send(true);
    expect(typing.send(false)).toBe(false);
    clock.advance(10 * TYPING_START_DELAY_MS);
    expect(sent).toEqual([]);
  });

  it('drops a pending announcement when closed', () => {
    const { clock, sent, typing } = relay();
    typing.send(true);
    typing.close();
    clock.advance(TYPING_START_DELAY_MS);
    expect(sent).toEqual([]);
  });

  it('accepts one frame per link per gap, lets a stop after a start through, and bounds showMs', () => {
    const { clock, heard, typing } = relay();
    const ada = peerIdOf(1);
    for (let i = 0; i < 100; i++) typing.onFrame(ada, MAX_TYPING_SHOW_MS);
    expect(heard).toEqual([{ peerId: ada, showMs: MAX_TYPING_SHOW_MS }]);
    typing.onFrame(ada, 0);
    typing.onFrame(ada, 0);
    typing.onFrame(ada, 5_000);
    expect(heard.map((e) => e.showMs)).toEqual([MAX_TYPING_SHOW_MS, 0]);
    clock.advance(TYPING_MIN_GAP_MS);
    typing.onFrame(ada, 5_000);
    expect(heard.map((e) => e.showMs)).toEqual([MAX_TYPING_SHOW_MS, 0, 5_000]);
  });

  it('ends a typer whose link closes and forgets it', () => {
    const { heard, typing } = relay();
    typing.onFrame(peerIdOf(1), 5_000);
    typing.onClosed(peerIdOf(1));
    typing.onClosed(peerIdOf(1));
    expect(heard.map((e) => e.showMs)).toEqual([5_000, 0]);
  });

  it('reaches linked meshes as a typing event and is neither stored nor delivered as a message', async () => {
    net = await createSimNetwork({ size: 2 });
    const [a, b] = net.peers as [SimPeer, SimPeer];
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(a)).toBe(1));
    const heard: Array<{ peerId: string; showMs: number }> = [];
    b.mesh.on('typing', (event) => heard.push(event));
    expect(a.mesh.sendTyping(true)).toBe(false); // announced after TYPING_START_DELAY_MS
    net.clock.advance(TYPING_START_DELAY_MS);
    expect(a.mesh.sendTyping(true)).toBe(false);
    await eventually(() => expect(heard).toEqual([{ peerId: a.id, showMs: 5_000 }]));
    expect(b.received).toEqual([]);
    expect(await b.store.vector(ROOM)).toEqual({});
  });

  it('drops a typing frame from a link that has not finished its handshake', async () => {
    net = await createSimNetwork({ size: 1 });
    const [a] = net.peers as [SimPeer];
    const heard: unknown[] = [];
    a.mesh.on('typing', (event) => heard.push(event));
    const raw = await attachRawPeer(a, peerIdOf(60), { handshake: false });
    raw.send({ type: 'typing', showMs: 5_000 });
    await eventually(() => expect(a.mesh.counters().malformedDropped).toBe(1));
    expect(heard).toEqual([]);
  });
});
