import { afterEach, describe, expect, it } from 'vitest';
import { type RoomEvent, compareEvents, MAX_HOPS } from '../src/index';
import { attachRawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, seededRandom, type SimNetwork } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

type Edge = [number, number];

const topologies: Record<string, (n: number) => Edge[]> = {
  full: (n) => Array.from({ length: n }, (_, i) => Array.from({ length: n - i - 1 }, (_, k): Edge => [i, i + k + 1])).flat(),
  line: (n) => Array.from({ length: n - 1 }, (_, i): Edge => [i, i + 1]),
  ring: (n) => Array.from({ length: n }, (_, i): Edge => [i, (i + 1) % n]),
  // A random spanning tree (so the graph is connected) plus random extra edges: a partial mesh.
  random: (n) => {
    const rnd = seededRandom(42);
    const edges = new Map<string, Edge>();
    const add = (a: number, b: number) => {
      if (a !== b) edges.set(`${Math.min(a, b)}-${Math.max(a, b)}`, [Math.min(a, b), Math.max(a, b)]);
    };
    for (let i = 1; i < n; i++) add(i, Math.floor(rnd() * i));
    for (let k = 0; k < n; k++) add(Math.floor(rnd() * n), Math.floor(rnd() * n));
    return [...edges.values()];
  },
};

async function linkAll(network: SimNetwork, edges: Edge[]): Promise<void> {
  for (const [a, b] of edges) network.connect(a, b);
  const degree = new Map<number, number>();
  for (const [a, b] of edges) {
    degree.set(a, (degree.get(a) ?? 0) + 1);
    degree.set(b, (degree.get(b) ?? 0) + 1);
  }
  await eventually(() => {
    for (const p of network.peers) expect(onlineCount(p)).toBe(degree.get(p.index) ?? 0);
  }, 20_000);
}

describe.each(Object.keys(topologies))('flooding over a %s topology of 50 peers', (name) => {
  it('delivers every message exactly once to every peer, with the expected transmissions', async () => {
    const N = 50;
    const SENDERS = [0, 17, 33, 49];
    // A 50-peer line is 49 hops long: raise the hop limit to the wire maximum for these shapes. The
    // shapes are fixed: a room of up to fullMeshUpTo peers neither wants nor refuses links.
    net = await createSimNetwork({ size: N, crypto: 'instant', options: { hopLimit: MAX_HOPS, fullMeshUpTo: N } });
    const edges = topologies[name]?.(N) ?? [];
    await linkAll(net, edges);
    const chatBefore = net.framesByType().chat ?? 0;
    const sent: RoomEvent[] = [];
    for (const i of SENDERS) sent.push(await net.peers[i]!.mesh.send(`hello from ${i}`));
    const ids = sent.map((m) => m.id).sort();
    await eventually(() => {
      for (const p of net!.peers) expect(p.received.map((m) => m.id).sort()).toEqual(ids);
    }, 20_000);
    // Plain flooding sends each message over every link once per direction except back to its sender:
    // the author sends deg(author), every other peer deg(p) - 1, so 2E - N + 1 per message. The author's
    // neighbours skip the peers the author reached itself: in a full mesh nobody forwards (N - 1), in a
    // line or ring no neighbour of the author is linked to another.
    const chatFrames = (net.framesByType().chat ?? 0) - chatBefore;
    const plainFlood = SENDERS.length * (2 * edges.length - N + 1);
    if (name === 'full') expect(chatFrames).toBe(SENDERS.length * (N - 1));
    else if (name === 'random') expect(chatFrames).toBeLessThan(plainFlood);
    else expect(chatFrames).toBe(plainFlood);
    const total = (key: 'duplicatesDropped' | 'delivered' | 'chatFramesSent' | 'chatFramesReceived') => net!.peers.reduce((s, p) => s + p.mesh.counters()[key], 0);
    expect(total('delivered')).toBe(SENDERS.length * N);
    // Every transmission arrives, and the receivers count each copy (what copies per delivery is made of).
    expect(total('chatFramesSent')).toBe(chatFrames);
    expect(total('chatFramesReceived')).toBe(chatFrames);
    // Every transmission is either a first delivery (N - 1 per message) or a dropped duplicate.
    expect(total('duplicatesDropped')).toBe(chatFrames - SENDERS.length * (N - 1));
  }, 60_000);
});

describe("the author's sentTo", () => {
  it('is ignored on a relayed copy: a relay cannot stop honest peers from forwarding', async () => {
    net = await createSimNetwork({ size: 4 });
    net.connect(1, 2);
    await eventually(() => expect(onlineCount(net!.peers[2]!)).toBe(1));
    // Peer 3 has no links: its signed message goes nowhere until the hostile relay carries it.
    const message = await net.peers[3]!.mesh.send('carried by a relay');
    const relay = await attachRawPeer(net.peers[1]!, peerIdOf(40), { handshake: true });
    await eventually(() => expect(onlineCount(net!.peers[1]!)).toBe(2));
    relay.send({ type: 'chat', hops: 1, message, sentTo: [peerIdOf(2)] });
    await eventually(() => expect(net!.peers[2]!.received.map((m) => m.id)).toEqual([message.id]));
  });
});

describe('hop limit', () => {
  it('stops a flood after hopLimit links', async () => {
    net = await createSimNetwork({ size: 8, options: { hopLimit: 3 } });
    await linkAll(net, topologies.line!(8));
    const message = await net.peers[0]!.mesh.send('short range');
    await eventually(() => expect(net!.peers[3]!.received.map((m) => m.id)).toEqual([message.id]));
    expect(net.peers[3]!.mesh.counters().hopLimitDropped).toBe(1);
    // Peer 4 would be the 4th hop: peer 3 (3 hops out) did not forward, so nobody beyond can get it.
    expect(net.peers[3]!.mesh.counters().forwarded).toBe(0);
    for (const p of net.peers.slice(4)) expect(p.received).toEqual([]);
    expect(net.peers.slice(0, 4).every((p) => p.received.length === 1)).toBe(true);
  });

  it('drops a copy claiming more hops than the limit without delivering it', async () => {
    net = await createSimNetwork({ size: 3, options: { hopLimit: 16 } });
    await linkAll(net, topologies.line!(3));
    const { attachRawPeer } = await import('./helpers/raw-peer');
    const { peerIdOf } = await import('./helpers/sim');
    const raw = await attachRawPeer(net.peers[1]!, peerIdOf(90), { handshake: true });
    await eventually(() => expect(onlineCount(net!.peers[1]!)).toBe(3));
    const genuine = await net.peers[0]!.mesh.send('x');
    await eventually(() => expect(net!.peers[1]!.received).toHaveLength(1));
    const before = net.peers[1]!.mesh.counters().hopLimitDropped;
    raw.send({ type: 'chat', hops: 17, message: { ...genuine, id: 'A'.repeat(43) } });
    await eventually(() => expect(net!.peers[1]!.mesh.counters().hopLimitDropped).toBe(before + 1));
    expect(net.peers[1]!.received).toHaveLength(1);
  });
});

describe('ordering', () => {
  it('shows the same order on every peer whatever the arrival order, and respects causality', async () => {
    net = await createSimNetwork({ size: 12 });
    await linkAll(net, topologies.ring!(12));
    // Concurrent sends from opposite sides of the ring arrive in different orders at different peers.
    const burst = await Promise.all(net.peers.filter((p) => p.index % 3 === 0).map((p) => p.mesh.send(`burst ${p.index}`)));
    await eventually(() => {
      for (const p of net!.peers) expect(p.received).toHaveLength(burst.length);
    });
    const arrivalOrders = new Set(net.peers.map((p) => p.received.map((m) => m.id).join()));
    expect(arrivalOrders.size).toBeGreaterThan(1);
    // A reply sent after receiving the burst must sort after all of it, everywhere.
    const reply = await net.peers[5]!.mesh.send('reply');
    await eventually(() => {
      for (const p of net!.peers) expect(p.received).toHaveLength(burst.length + 1);
    });
    const orders = net.peers.map((p) => [...p.received].sort(compareEvents).map((m) => m.id));
    for (const order of orders) expect(order).toEqual(orders[0]);
    expect(orders[0]?.at(-1)).toBe(reply.id);
    expect(net.peers.map((p) => p.store.messages(reply.room).map((m) => m.id))).toEqual(orders);
  });
});
