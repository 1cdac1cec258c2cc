import { afterEach, describe, expect, it } from 'vitest';
import type { PeerId, TopologyEntry } from '../src/index';
import { attachRawPeer } from './helpers/raw-peer';
import { createSimNetwork, eventually, onlineCount, peerIdOf, settle, type SimNetwork, type SimPeer } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

const TICK = 1000;
const REFRESH = 10_000;

/** peer index -> sorted neighbour indexes, from a topology() answer. */
function asIndexes(network: SimNetwork, entries: TopologyEntry[]): Record<number, number[]> {
  const indexOf = new Map<PeerId, number>(network.peers.map((p) => [p.id, p.index]));
  const out: Record<number, number[]> = {};
  for (const e of entries) out[indexOf.get(e.peerId) ?? -1] = e.neighbours.map((n) => indexOf.get(n) ?? -1).sort();
  return out;
}

async function line(size: number): Promise<SimPeer[]> {
  net = await createSimNetwork({ size, options: { pingIntervalMs: TICK, topologyRefreshMs: REFRESH } });
  for (let i = 0; i + 1 < size; i++) net.connect(i, i + 1);
  await eventually(() => expect(net!.peers.map(onlineCount)).toEqual([1, ...Array(size - 2).fill(2), 1]));
  return net.peers;
}

describe('topology', () => {
  it('shows every peer of a line its neighbours, a hop per tick, with a topology event', async () => {
    const [a] = await line(4);
    const views: TopologyEntry[][] = [];
    a!.mesh.on('topology', (view) => views.push(view));
    // Before any tick: its own links only.
    expect(asIndexes(net!, a!.mesh.topology())).toEqual({ 0: [1] });
    const expected = { 0: [1], 1: [0, 2], 2: [1, 3], 3: [2] };
    for (let t = 0; t < 4; t++) {
      net!.clock.advance(TICK);
      await settle(net!);
    }
    await eventually(() => expect(asIndexes(net!, a!.mesh.topology())).toEqual(expected));
    net!.clock.advance(TICK);
    expect(asIndexes(net!, views.at(-1) ?? [])).toEqual(expected);
    expect(a!.mesh.topology()[0]).toMatchObject({ peerId: a!.id, name: 'peer 0', updatedAt: net!.clock.now() });
    expect(a!.mesh.memory().topologyPeers).toBe(3);
  });

  it('follows a cut link and forgets a peer that stopped announcing', async () => {
    const [a] = await line(4);
    const tick = async (n: number) => {
      for (let t = 0; t < n; t++) {
        net!.clock.advance(TICK);
        await settle(net!); // each tick's frames travel before the next tick

      }
    };
    await tick(4);
    await eventually(() => expect(Object.keys(asIndexes(net!, a!.mesh.topology()))).toHaveLength(4));
    net!.wires[2]!.cut(); // 2-3
    await eventually(() => expect(onlineCount(net!.peers[2]!)).toBe(1));
    await tick(3);
    await eventually(() => expect(asIndexes(net!, a!.mesh.topology())[2]).toEqual([1]));
    // Peer 3 can no longer reach anyone: its last list ages out after 3 refresh periods.
    expect(asIndexes(net!, a!.mesh.topology())[3]).toEqual([2]);
    await tick((3 * REFRESH) / TICK + 1);
    await eventually(() => expect(Object.keys(asIndexes(net!, a!.mesh.topology())).sort()).toEqual(['0', '1', '2']));
  });

  it('ignores a relayed entry about a linked neighbour whatever version the forgery claimed', async () => {
    const [a, b] = await line(2);
    const relay = await attachRawPeer(a!, peerIdOf(30), { handshake: true });
    await eventually(() => expect(onlineCount(a!)).toBe(2));
    relay.send({ type: 'topology', entries: [{ peerId: b!.id, name: 'forged', version: 2 ** 47, neighbours: [] }] });
    await eventually(() => expect(a!.mesh.counters().topologyClaimsDropped).toBe(1));
    expect(a!.mesh.topology().find((e) => e.peerId === b!.id)?.name).not.toBe('forged');
    b!.mesh.setName('b again');
    net!.clock.advance(TICK);
    await eventually(() => expect(a!.mesh.topology().find((e) => e.peerId === b!.id)).toMatchObject({
      name: 'b again', neighbours: [a!.id],
    }));
  });

  it('sends at most one topology frame per link per tick however many links change', async () => {
    net = await createSimNetwork({ size: 8, options: { pingIntervalMs: TICK, topologyRefreshMs: REFRESH } });
    for (let i = 1; i < 8; i++) net.connect(0, i);
    // Every end of every link open, not just the hub's: a spoke whose side opened after the tick would
    // announce at the next one.
    await eventually(() => expect(net!.peers.map(onlineCount)).toEqual([7, 1, 1, 1, 1, 1, 1, 1]));
    const before = net.framesByType().topology ?? 0;
    net.clock.advance(TICK);
    // Each of 8 peers announces once to each of its links (7 + 7×1 = 14 link ends), and the hub's
    // forwards of the 7 spokes' entries ride in that same frame: 14 frames, whatever changed.
    await eventually(() => expect((net!.framesByType().topology ?? 0) - before).toBe(14));
  });
});
