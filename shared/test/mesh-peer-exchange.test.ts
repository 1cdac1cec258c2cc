import { afterEach, describe, expect, it } from 'vitest';
import { type RoomEvent, DEFAULT_MESH_OPTIONS } from '../src/index';
import { attachRawPeer } from './helpers/raw-peer';
import { autoLink } from './helpers/auto-link';
import { createSimNetwork, eventually, onlineCount, peerIdOf, ROOM, seededRandom, settle, type SimNetwork } from './helpers/sim';

let net: SimNetwork | undefined;
afterEach(() => net?.close());

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

/** Peers reachable from `start` over online links (the whole room when there is no partition). */
function reachable(network: SimNetwork, start: number): number {
  const indexOf = new Map(network.peers.map((p) => [p.id, p.index]));
  const seen = new Set([start]);
  const queue = [start];
  for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
    for (const info of network.peers[i]?.mesh.peers() ?? []) {
      const j = indexOf.get(info.peerId);
      if (info.state !== 'online' || j === undefined || seen.has(j)) continue;
      seen.add(j);
      queue.push(j);
    }
  }
  return seen.size;
}

describe('peer exchange', () => {
  it('asks only the first three links of a full-mesh room for peers as they open, and every link of a big room', async () => {
    for (const [fullMeshUpTo, askedAtOpen] of [[64, 3], [2, 5]] as const) {
      const asked = new Set<number>();
      net = await createSimNetwork({
        size: 6, options: { pingIntervalMs: 1000, fullMeshUpTo },
        onFrame: (from, to, frame) => void (from === 0 && frame.startsWith('{"type":"getaddr"') && asked.add(to)),
      });
      for (let j = 1; j < 6; j++) net.connect(0, j);
      await eventually(() => expect(onlineCount(net!.peers[0]!)).toBe(5));
      await settle(net);
      // No tick has run (the clock stands still): every getaddr so far was sent as a link opened.
      expect(asked.size).toBe(askedAtOpen);
      net.close();
    }
  });

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
  const online = (network: SimNetwork, i: number): number[] =>
    (network.peers[i]?.mesh.peers() ?? []).filter((p) => p.state === 'online').map((p) => Number.parseInt(p.peerId.slice(-12), 16)).sort();

  it('refuses a link past maxDegree when the other end can spare it, naming its other links', async () => {
    net = await createSimNetwork({ size: 5, options: { fullMeshUpTo: 2, targetDegree: 1, maxDegree: 2, minDegree: 1 } });
    const closes: string[] = [];
    for (const p of net.peers) p.mesh.on('link-closed', ({ reason }) => closes.push(`${p.index}:${reason}`));
    for (const [i, j] of [[0, 1], [0, 2], [3, 1]] as const) net.connect(i, j);
    await eventually(() => expect([online(net!, 0), online(net!, 3)]).toEqual([[1, 2], [1]]));
    await settle(net);
    // Peer 3 stays two hops from 0 through their shared neighbour 1: its link to 0 can go.
    net.connect(3, 0);
    await eventually(() => expect(closes).toContain('3:DEGREE_FULL'));
    await eventually(() => expect([online(net!, 0), online(net!, 3)]).toEqual([[1, 2], [1]]));
    expect(closes.filter((c) => c.endsWith('DEGREE_FULL'))).toEqual(['3:DEGREE_FULL']);

    // What goes over the wire: the refusal names the refuser's other links; a peer that does not
    // close (an older version) is cut at the next tick.
    const raw = await attachRawPeer(net.peers[0]!, peerIdOf(40), { handshake: true });
    await eventually(() => expect(online(net!, 0)).toEqual([1, 2, 40]));
    raw.send({ type: 'addr', peers: [peerIdOf(2)] });
    await eventually(() => expect(raw.inbox.filter((m) => m.type === 'degree-full')).toHaveLength(1));
    const refusal = raw.inbox.find((m) => m.type === 'degree-full');
    expect(refusal?.type === 'degree-full' && [...refusal.peers].sort()).toEqual([peerIdOf(1), peerIdOf(2)]);
    net.clock.advance(DEFAULT_MESH_OPTIONS.pingIntervalMs);
    await eventually(() => expect(raw.closed()).toBe(true));
    expect(closes).toContain('0:DEGREE_FULL');
  });

  it('keeps a newcomer with no other link and sheds a neighbour that can spare one instead', async () => {
    net = await createSimNetwork({ size: 7, options: { fullMeshUpTo: 2, targetDegree: 1, maxDegree: 3, minDegree: 1 } });
    const closes: string[] = [];
    for (const p of net.peers) p.mesh.on('link-closed', ({ reason }) => closes.push(`${p.index}:${reason}`));
    for (const [i, j] of [[0, 1], [0, 2], [0, 6], [1, 3], [1, 2]] as const) net.connect(i, j);
    await eventually(() => expect([online(net!, 0), online(net!, 1)]).toEqual([[1, 2, 6], [0, 2, 3]]));
    await settle(net);
    net.connect(5, 0);
    // Peer 1 keeps two links without 0, one of them shared with 0; peers 2 and 6 cannot spare theirs.
    await eventually(() => expect(online(net!, 0)).toEqual([2, 5, 6]));
    expect(online(net, 1)).toEqual([2, 3]);
    expect(closes.filter((c) => c.endsWith('DEGREE_FULL'))).toEqual(['1:DEGREE_FULL']);
  });

  it('never drops a bridge for the cap: a neighbour is asked to link elsewhere first', async () => {
    const N = 6;
    net = await createSimNetwork({ size: N, crypto: 'instant', options: { fullMeshUpTo: 2, targetDegree: 1, maxDegree: 2, minDegree: 1 } });
    autoLink(net);
    const splits: number[] = [];
    for (const p of net.peers) p.mesh.on('link-closed', () => reachable(net!, 0) < N && splits.push(p.index));
    for (const [i, j] of [[0, 1], [0, 2], [3, 4], [3, 5]] as const) net.connect(i, j);
    await settle(net);
    // 0 is over the cap, and its link to 3 is the only way between {0, 1, 2} and {3, 4, 5}.
    net.connect(3, 0);
    await runTicks(net, 10, 1000, () => !online(net!, 0).includes(3));
    expect(online(net, 0)).not.toContain(3);
    expect(online(net, 3).some((p) => p === 1 || p === 2)).toBe(true);
    expect(reachable(net, 0)).toBe(N);
    expect(splits).toEqual([]);
  });

  it('leaves a neighbour that asked it to go only through a peer that neighbour still lists', async () => {
    net = await createSimNetwork({ size: 2, options: { fullMeshUpTo: 2, targetDegree: 1, maxDegree: 3, minDegree: 1 } });
    const raw = await attachRawPeer(net.peers[0]!, peerIdOf(40), { handshake: true, autoPong: true });
    await eventually(() => expect(online(net!, 0)).toEqual([40]));
    // 40 is over its cap and asks 0 to go, naming its link to 1; 0 has no link to 1 yet, so it stays.
    raw.send({ type: 'degree-full', peers: [peerIdOf(1)] });
    await settle(net);
    // Then 40's links change: its answer to a getaddr no longer lists 1.
    raw.send({ type: 'addr', peers: [] });
    net.connect(0, 1);
    await eventually(() => expect(online(net!, 0)).toEqual([1, 40]));
    // Leaving now would rest on the stale list: 0 and 40 would share no neighbour.
    net.clock.advance(DEFAULT_MESH_OPTIONS.pingIntervalMs);
    await settle(net);
    expect(raw.closed()).toBe(false);
    // Asked again with a list that holds 1, 0 leaves at once.
    raw.send({ type: 'degree-full', peers: [peerIdOf(1)] });
    await eventually(() => expect(raw.closed()).toBe(true));
    expect(online(net, 0)).toEqual([1]);
  });

  it('refreshes links over time: old links are traded for new random ones, and the room stays connected', async () => {
    const N = 30;
    const MAX = 6;
    net = await createSimNetwork({
      size: N, crypto: 'instant',
      options: { pingIntervalMs: 1000, fullMeshUpTo: 8, targetDegree: 3, maxDegree: MAX, minDegree: 2, linkRefreshMs: 3000 },
    });
    autoLink(net);
    const rnd = seededRandom(3);
    for (let i = 1; i < N; i++) net.connect(i, Math.floor(rnd() * i));
    await runTicks(net, 10, 1000, () => false);
    const edges = () => new Set(net!.peers.flatMap((p) => online(net!, p.index).filter((q) => q > p.index).map((q) => `${p.index}-${q}`)));
    const before = edges();
    await runTicks(net, 30, 1000, () => false);
    const after = edges();
    const replaced = [...after].filter((edge) => !before.has(edge)).length;
    expect(replaced).toBeGreaterThanOrEqual(N / 3);
    expect(reachable(net, 0)).toBe(N);
    // A link that just opened past the cap is shed at a following tick (once the witness's addr shows).
    const maxDegree = () => Math.max(...net!.peers.map(onlineCount));
    await runTicks(net, 3, 1000, () => maxDegree() <= MAX);
    expect(maxDegree()).toBeLessThanOrEqual(MAX);
    const message = await net.peers[0]!.mesh.send('after the refresh');
    await runTicks(net, 1, 1000, () => false);
    for (const p of net.peers) expect(p.store.messages(ROOM).map((m) => m.id)).toEqual([message.id]);
  }, 30_000); // ~1.5–3 s idle; 40 ticks of 30 meshes, which a loaded machine stretched past the 5 s default

  // Seeds 2 and 13 split the room in two before links were dropped only with a witness (see peer-exchange).
  it.each([2, 7, 13])('delivers every message to all 200 peers with bounded links and random link failures (seed %i)', async (seed) => {
    const N = 200;
    const TARGET = 6;
    const MAX = 10;
    net = await createSimNetwork({
      size: N, crypto: 'instant',
      options: { pingIntervalMs: 1000, fullMeshUpTo: 16, targetDegree: TARGET, maxDegree: MAX, minDegree: 2, hopLimit: 64 },
    });
    const refusals: number[] = [];
    for (const p of net.peers) p.mesh.on('link-closed', ({ reason }) => reason === 'DEGREE_FULL' && refusals.push(p.index));
    autoLink(net);
    const rnd = seededRandom(seed);
    for (let i = 1; i < N; i++) net.connect(i, Math.floor(rnd() * i)); // a random tree: connected, sparse
    await eventually(() => expect(net!.peers.every((p) => onlineCount(p) >= 1)).toBe(true), 60_000);

    const sent: RoomEvent[] = [];
    for (let round = 0; round < 8; round++) {
      // Cut a few random live links, then chat while the mesh repairs itself.
      for (let k = 0; k < 5; k++) net.wires[Math.floor(rnd() * net.wires.length)]?.cut();
      for (let k = 0; k < 3; k++) sent.push(await net.peers[Math.floor(rnd() * N)]!.mesh.send(`round ${round}.${k}`));
      await runTicks(net, 1, 1000, () => false);
    }
    const ids = sent.map((m) => m.id).sort();
    const complete = () => net!.peers.every((p) => p.store.messages(ROOM).length === sent.length);
    // Ticks drive anti-entropy polls (instant crypto makes each tick settle exactly).
    await runTicks(net, 120, 1000, complete);
    for (const p of net.peers) expect(p.store.messages(ROOM).map((m) => m.id).sort()).toEqual(ids);
    // Peers ask for links below TARGET and refuse (or shed) links past MAX, inbound ones included.
    // The cap is enforced only by dropping links that cannot split the room, which can take ticks, and
    // link refreshes keep taking peers one over it for a moment (a new link opens before the old one
    // goes): somebody is over it at some tick of most stretches, so each peer's time over it is bounded.
    const overFor = new Map<number, number>(); // peer -> consecutive ticks over the cap
    let longestOver = 0;
    let highest = 0;
    for (let t = 0; t < 30; t++) {
      await runTicks(net, 1, 1000, () => false);
      for (const p of net.peers) {
        const ticks = onlineCount(p) > MAX ? (overFor.get(p.index) ?? 0) + 1 : 0;
        overFor.set(p.index, ticks);
        longestOver = Math.max(longestOver, ticks);
        highest = Math.max(highest, onlineCount(p));
      }
    }
    expect(longestOver).toBeLessThanOrEqual(10);
    expect(highest).toBeLessThanOrEqual(MAX + 2);
    expect(Math.min(...net.peers.map(onlineCount))).toBeGreaterThanOrEqual(1);
    expect(reachable(net, 0)).toBe(N);
    // Each message reached each peer once, by flood or by history sync.
    for (const p of net.peers) expect(new Set(p.received.map((m) => m.id)).size).toBe(p.received.length);
    // Neighbour lists were gossiped room-wide: a debug view of any peer shows all 200. Lists travel one
    // hop per tick, and delivery may complete first.
    await runTicks(net, 30, 1000, () => net!.peers[0]!.mesh.topology().length === N);
    expect(net.peers[0]!.mesh.topology()).toHaveLength(N);
    // The random tree gives some peers more than MAX links at the start: the cap was enforced.
    expect(refusals.length).toBeGreaterThan(0);
  }, 120_000); // ~8 s on an idle 2-core machine
});
