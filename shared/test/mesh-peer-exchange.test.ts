import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../src/index';
import { createSimNetwork, eventually, onlineCount, ROOM, seededRandom, type SimNetwork } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

/**
 * Plays the web app's part with no signal server: on `want-link` it sends an "offer" through the mesh;
 * the target answers through the mesh; when the answer arrives, the two get a (memory) link.
 */
function autoLink(network: SimNetwork): { relayed: () => number } {
  let relayed = 0;
  const indexOf = new Map(network.peers.map((p) => [p.id, p.index]));
  for (const peer of network.peers) {
    peer.mesh.on('want-link', ({ peerId }) => {
      peer.mesh.relaySignal(peerId, { kind: 'offer' });
    });
    peer.mesh.on('relay-signal', ({ from, data }) => {
      relayed++;
      if (data.kind === 'offer') peer.mesh.relaySignal(from, { kind: 'answer' });
      else if (data.kind === 'answer') network.connect(peer.index, indexOf.get(from) ?? -1);
    });
  }
  return { relayed: () => relayed };
}

/**
 * Waits until the network is quiet: no frame sent, received or delivered for a few polls
 * (signing and verifying run on real time, so a tick's consequences need real time to play out).
 */
async function settle(network: SimNetwork): Promise<void> {
  let last = '';
  let stable = 0;
  await eventually(() => {
    const c = network.peers.map((p) => p.mesh.counters());
    const sent = c.reduce((s, x) => s + x.framesSent, 0);
    const received = c.reduce((s, x) => s + x.framesReceived, 0);
    const now = `${sent}/${received}/${c.reduce((s, x) => s + x.delivered, 0)}`;
    stable = now === last ? stable + 1 : 0;
    last = now;
    expect(stable).toBeGreaterThanOrEqual(3);
  }, 20_000);
}

/** Advances the shared clock one ping interval at a time, letting the meshes settle in between. */
async function runTicks(network: SimNetwork, ticks: number, intervalMs: number, until: () => boolean): Promise<number> {
  for (let t = 0; t < ticks; t++) {
    await settle(network);
    if (until()) return t;
    network.clock.advance(intervalMs);
  }
  await settle(network);
  return ticks;
}

describe('peer exchange', () => {
  it('grows a line of 12 peers into a full mesh through relayed signaling alone', async () => {
    const N = 12;
    net = await createSimNetwork({ size: N, options: { pingIntervalMs: 1000, fullMeshUpTo: 64 } });
    const counts = autoLink(net);
    for (let i = 0; i + 1 < N; i++) net.connect(i, i + 1);
    const full = () => net!.peers.every((p) => onlineCount(p) === N - 1);
    await runTicks(net, 30, 1000, full);
    await eventually(() => expect(net!.peers.map(onlineCount)).toEqual(Array(N).fill(N - 1)));
    expect(counts.relayed()).toBeGreaterThan(0);
    // Every pair is linked exactly once: duplicate dials (both ends wanting) were resolved.
    expect(net.peers.reduce((sum, p) => sum + p.mesh.memory().links, 0)).toBe(N * (N - 1));
  }, 30_000);
});

describe('bounded degree', () => {
  it('keeps delivery at 100% among 200 peers with bounded links and random link failures', async () => {
    const N = 200;
    const TARGET = 6;
    net = await createSimNetwork({
      size: N, shareIdentity: true,
      options: { pingIntervalMs: 1000, fullMeshUpTo: 16, targetDegree: TARGET, hopLimit: 64 },
    });
    autoLink(net);
    const rnd = seededRandom(7);
    for (let i = 1; i < N; i++) net.connect(i, Math.floor(rnd() * i)); // a random tree: connected, sparse
    await eventually(() => expect(net!.peers.every((p) => onlineCount(p) >= 1)).toBe(true), 20_000);

    const sent: ChatMessage[] = [];
    for (let round = 0; round < 8; round++) {
      // Cut a few random live links, then chat while the mesh repairs itself.
      for (let k = 0; k < 5; k++) net.wires[Math.floor(rnd() * net.wires.length)]?.cut();
      for (let k = 0; k < 3; k++) sent.push(await net.peers[Math.floor(rnd() * N)]!.mesh.send(`round ${round}.${k}`));
      await runTicks(net, 1, 1000, () => false);
    }
    const ids = sent.map((m) => m.id).sort();
    const complete = () => net!.peers.every((p) => p.store.messages(ROOM).length === sent.length);
    await runTicks(net, 40, 1000, complete);
    await eventually(() => {
      for (const p of net!.peers) expect(p.store.messages(ROOM).map((m) => m.id).sort()).toEqual(ids);
    }, 20_000);
    // Each peer only asks for links while it has fewer than TARGET; inbound links are not capped, so
    // the bound is on the total: an order of magnitude below a full mesh (19,900 links).
    const links = net.peers.reduce((sum, p) => sum + onlineCount(p), 0) / 2;
    expect(links).toBeLessThan((N * (N - 1)) / 2 / 10);
    // Each message reached each peer once, by flood or by history sync.
    for (const p of net.peers) expect(new Set(p.received.map((m) => m.id)).size).toBe(p.received.length);
  }, 60_000);
});
