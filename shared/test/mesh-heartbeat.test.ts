import { afterEach, describe, expect, it } from 'vitest';
import { type LinkCloseReason, type PeerInfo } from '../src/index';
import { createMemoryLinkPair } from '../src/testing/index';
import { RTT_REFRESH_TICKS } from '../src/mesh/heartbeat';
import { createSimNetwork, eventually, nextMacrotask, onlineCount, type SimNetwork } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

describe('heartbeat', () => {
  it('measures the round-trip time of each link', async () => {
    net = await createSimNetwork({ size: 2, options: { pingIntervalMs: 1000 } });
    net.connect(0, 1);
    const [a] = net.peers;
    await eventually(() => expect(onlineCount(a!)).toBe(1));
    // The first ping waits for the interval (the handshake just proved the link alive).
    expect(a!.mesh.peers()[0]?.rttMs).toBeNull();
    net.clock.advance(1000);
    await eventually(() => expect(a!.mesh.peers()[0]?.rttMs).toBe(0));
    // The RTT is measured again within RTT_REFRESH_TICKS intervals (sooner if the link is idle; history
    // polls count as traffic); time moves 37 ms past each tick before a pong can be processed.
    for (let tick = 0, step = 1000; tick < RTT_REFRESH_TICKS && a!.mesh.peers()[0]?.rttMs !== 37; tick++, step = 963) {
      net.clock.advance(step);
      net.clock.advance(37);
      await nextMacrotask();
    }
    expect(a!.mesh.peers()[0]?.rttMs).toBe(37);
  });

  it('drops a peer that stops answering pings and shows it offline', async () => {
    net = await createSimNetwork({ size: 2, options: { pingIntervalMs: 1000, maxMissedPongs: 3 } });
    const wire = net.connect(0, 1);
    const [a, b] = net.peers;
    await eventually(() => expect(onlineCount(a!) + onlineCount(b!)).toBe(2));
    const updates: PeerInfo[][] = [];
    const reasons: LinkCloseReason[] = [];
    a!.mesh.on('peers', (list) => updates.push(list));
    a!.mesh.on('link-closed', (e) => reasons.push(e.reason));
    wire.stall();
    net.clock.advance(3000); // a ping at 1 s goes unanswered; 2 s and 3 s count two misses
    expect(reasons).toEqual([]);
    net.clock.advance(1000); // third miss
    expect(reasons).toEqual(['PING_TIMEOUT']);
    expect(a!.mesh.peers()).toEqual([expect.objectContaining({ peerId: b!.id, state: 'offline' })]);
    expect(updates.at(-1)?.[0]?.state).toBe('offline');
  });

  it('pings a link that carries other frames only to refresh its RTT, and still drops it once it goes quiet', async () => {
    let pings = 0;
    net = await createSimNetwork({
      size: 2, options: { pingIntervalMs: 1000, maxMissedPongs: 3 },
      onFrame: (from, _to, frame) => void (from === 0 && frame.startsWith('{"type":"ping"') && pings++),
    });
    const wire = net.connect(0, 1);
    const [a, b] = net.peers;
    await eventually(() => expect(onlineCount(a!)).toBe(1));
    net.clock.advance(1000);
    await eventually(() => expect(a!.mesh.peers()[0]?.rttMs).toBe(0));
    expect(pings).toBe(1);
    const reasons: LinkCloseReason[] = [];
    a!.mesh.on('link-closed', (e) => reasons.push(e.reason));
    // b chats every interval: a hears it and pings only every RTT_REFRESH_TICKS intervals.
    for (let tick = 0; tick < 2 * RTT_REFRESH_TICKS; tick++) {
      await b!.mesh.send(`busy ${tick}`);
      await nextMacrotask();
      net.clock.advance(1000);
      await nextMacrotask();
    }
    expect(pings).toBe(3);
    expect(reasons).toEqual([]);
    // Quiet from here: pings every interval again, and a stalled link dies after its missed pongs.
    wire.stall();
    net.clock.advance(3000);
    expect(reasons).toEqual([]);
    net.clock.advance(2000);
    expect(reasons).toEqual(['PING_TIMEOUT']);
  });

  it('closes a link whose handshake never completes', async () => {
    net = await createSimNetwork({ size: 2, options: { pingIntervalMs: 1000, maxMissedPongs: 3 } });
    const [a, b] = net.peers;
    const reasons: LinkCloseReason[] = [];
    a!.mesh.on('link-closed', (e) => reasons.push(e.reason));
    const wire = createMemoryLinkPair();
    a!.mesh.addLink(wire.a, b!.id);
    expect(a!.mesh.peers()).toEqual([expect.objectContaining({ peerId: b!.id, state: 'connecting' })]);
    net.clock.advance(3000);
    expect(reasons).toEqual([]);
    net.clock.advance(1000);
    expect(reasons).toEqual(['HANDSHAKE_TIMEOUT']);
    expect(a!.mesh.peers()[0]?.state).toBe('offline');
  });

  it('stops its timers on close', async () => {
    net = await createSimNetwork({ size: 2 });
    net.connect(0, 1);
    await eventually(() => expect(onlineCount(net!.peers[0]!)).toBe(1));
    net.close();
    expect(net.clock.pending()).toBe(0);
  });
});
