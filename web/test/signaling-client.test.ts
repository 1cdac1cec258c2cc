import { PROTOCOL_VERSION } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { createSignalingClient } from '@shoal/shared/link';
import { createFakeClock } from './fake-clock';
import { createFakeSockets } from './fake-socket';
import { peerId, room } from './ids';

const self = peerId(1);
const other = peerId(2);
const welcome = { type: 'welcome', v: PROTOCOL_VERSION, room: 'lobby', peerId: self, peers: [other], iceServers: [] };

function setup(urls = ['ws://a/']) {
  const clock = createFakeClock();
  const { openSocket, sockets } = createFakeSockets();
  const client = createSignalingClient({ urls, room: room('lobby'), peerId: self, openSocket, clock, random: () => 0.5 });
  return { clock, sockets, client };
}

describe('signaling client', () => {
  it('joins the room once the socket opens and reports connected on welcome', () => {
    const { sockets, client } = setup();
    const welcomes: unknown[] = [];
    client.on('welcome', (w) => welcomes.push(w));
    client.start();
    expect(client.status.value).toBe('connecting');
    sockets[0]?.open();
    expect(sockets[0]?.sent).toEqual([{ type: 'join', v: PROTOCOL_VERSION, room: 'lobby', peerId: self }]);
    sockets[0]?.deliver(welcome);
    expect(client.status.value).toBe('connected');
    expect(welcomes).toHaveLength(1);
  });

  it('ignores and counts frames that fail to parse', () => {
    const { sockets, client } = setup();
    const joined: unknown[] = [];
    client.on('peer-joined', (p) => joined.push(p));
    client.start();
    sockets[0]?.open();
    sockets[0]?.deliver('not json');
    sockets[0]?.deliver({ type: 'peer-joined', peerId: 'not-a-uuid' });
    sockets[0]?.handlers.onMessage(new Uint8Array([1, 2]));
    sockets[0]?.deliver({ type: 'peer-joined', peerId: other });
    expect(client.invalidFrames()).toBe(3);
    expect(joined).toEqual([other]);
  });

  it('emits typed peer and signal events', () => {
    const { sockets, client } = setup();
    const seen: string[] = [];
    client.on('peer-left', (p) => seen.push(`left ${p}`));
    client.on('signal', (s) => seen.push(`signal ${s.from} ${JSON.stringify(s.data)}`));
    client.start();
    sockets[0]?.open();
    sockets[0]?.deliver({ type: 'signal', from: other, data: { type: 'answer', sdp: 'x' } });
    sockets[0]?.deliver({ type: 'peer-left', peerId: other });
    expect(seen).toEqual([`signal ${other} {"type":"answer","sdp":"x"}`, `left ${other}`]);
  });

  it('sends signals only while joined', () => {
    const { sockets, client } = setup();
    client.start();
    sockets[0]?.open();
    expect(client.sendSignal(other, { type: 'answer', sdp: 'x' })).toBe(false);
    sockets[0]?.deliver(welcome);
    expect(client.sendSignal(other, { type: 'answer', sdp: 'x' })).toBe(true);
    expect(sockets[0]?.sent.at(-1)).toEqual({ type: 'signal', to: other, data: { type: 'answer', sdp: 'x' } });
  });

  it('reconnects with growing, bounded delays and reports reconnecting meanwhile', () => {
    const { clock, sockets, client } = setup();
    client.start();
    sockets[0]?.open();
    sockets[0]?.deliver(welcome);
    sockets[0]?.drop();
    expect(client.status.value).toBe('reconnecting');
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = sockets.length;
      let waited = 0;
      while (sockets.length === before && waited < 60_000) {
        clock.advance(50);
        waited += 50;
      }
      delays.push(waited);
      sockets.at(-1)?.drop();
    }
    expect(delays[1]).toBeGreaterThan(delays[0] ?? 0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(15_000);
    expect(sockets).toHaveLength(11);
  });

  it('fails over to the next server when one never answers, and stays on the one that works', () => {
    const { clock, sockets, client } = setup(['ws://down/', 'ws://up/']);
    client.start();
    expect(sockets[0]?.url).toBe('ws://down/');
    clock.advance(5_000); // connect timeout: never welcomed
    expect(sockets[0]?.closed).toBe(true);
    clock.advance(1_000);
    expect(sockets[1]?.url).toBe('ws://up/');
    expect(client.url.value).toBe('ws://up/');
    sockets[1]?.open();
    sockets[1]?.deliver(welcome);
    sockets[1]?.drop();
    clock.advance(1_000);
    expect(sockets[2]?.url).toBe('ws://up/');
  });

  it('leaves and stops reconnecting when closed', () => {
    const { clock, sockets, client } = setup();
    client.start();
    sockets[0]?.open();
    sockets[0]?.deliver(welcome);
    client.close();
    expect(sockets[0]?.sent.at(-1)).toEqual({ type: 'leave' });
    expect(sockets[0]?.closed).toBe(true);
    clock.advance(120_000);
    expect(sockets).toHaveLength(1);
    expect(client.status.value).toBe('closed');
    expect(clock.pending()).toBe(0);
  });
});
