import type { MeshOptions } from '../../src/index';
import { autoLink } from './auto-link';
import { createSimNetwork, nextMacrotask, onlineCount, seededRandom, type SimNetwork } from './sim-network';

/**
 * One broadcast run over memory links, instant crypto and the fake clock (issue 14's bench and its CI
 * simulations): a big room forms through peer exchange alone, then chats while a fraction of its peers
 * leaves and as many join, then drains. Deterministic for a seed.
 */
export interface BroadcastRunOptions {
  peers: number;
  /** Messages sent in all (spread over ticks, MESSAGES_PER_TICK each). */
  messages: number;
  /** Fraction of `peers` that leaves during the chat, and as many newcomers that join. */
  churn: number;
  seed: number;
  options?: Partial<MeshOptions>;
  /**
   * Peers (indices) that, once half the messages are out (the tree formed with them in it), accept
   * everything and pass on nothing: no chat copy, no announcement, no history answer. They send no
   * messages of their own. (Silent from the start, the first flood already routes around them.)
   */
  silent?: ReadonlySet<number>;
}

export interface BroadcastFigures {
  /** Fraction of (message, peer) pairs delivered, over peers present from the send to the end. */
  delivery: number;
  /** Chat frames sent per message delivered to a peer other than its author (all ticks). */
  copiesPerDelivery: number;
  /** The same over the later half of the messages (once trees have formed). */
  copiesPerDeliverySteady: number;
  /** Control frames (ihave, graft, prune) per delivered message. */
  controlPerDelivery: number;
  /** Hops of the first chat copy each peer got, 50th and 99th percentile. */
  p50Hops: number;
  p99Hops: number;
  /** `graft` frames that asked for events (a lazy announcement beat the tree). */
  grafts: number;
  /** Deliveries that came by history sync, not by a chat frame. */
  viaHistory: number;
  /** Mean links per peer once the room formed (the overlay both modes chat over). */
  meanDegree: number;
}

const PING_MS = 1000;
const MESSAGES_PER_TICK = 5;
const FORM_TICKS = 40;
const DRAIN_TICKS = 10;

/**
 * Time moves in STEP_MS steps with the network settled in between: frames travel in microtasks, which
 * do not run inside one clock.advance, so a single leap of a tick would fire the ping tick (and its
 * history poll) before any announcement sent at +50 ms had even arrived.
 */
const STEP_MS = 50;

async function ticks(network: SimNetwork, n: number): Promise<void> {
  for (let t = 0; t < (n * PING_MS) / STEP_MS; t++) {
    await nextMacrotask();
    network.clock.advance(STEP_MS);
  }
  await nextMacrotask();
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

export async function runBroadcast(run: BroadcastRunOptions): Promise<BroadcastFigures> {
  const leaving = Math.round(run.churn * run.peers);
  const chatFrames = new Map<string, number>(); // message id -> chat frames carrying it
  const firstHops = new Map<string, number>(); // `${peer} ${id}` -> hops of the first copy
  let control = 0;
  let grafts = 0;
  let chatting = false;
  let silenced = false;
  const network = await createSimNetwork({
    size: run.peers + leaving, crypto: 'instant', options: { pingIntervalMs: PING_MS, hopLimit: 64, ...run.options },
    onFrame(from, to, frame) {
      if (!chatting) return true;
      if (run.silent?.has(from) && silenced && /^\{"type":"(chat|ihave|history-batch)"/.test(frame)) return false;
      if (frame.startsWith('{"type":"chat"')) {
        const { hops, message } = JSON.parse(frame) as { hops: number; message: { id: string } };
        chatFrames.set(message.id, (chatFrames.get(message.id) ?? 0) + 1);
        const key = `${to} ${message.id}`;
        if (!firstHops.has(key)) firstHops.set(key, hops);
      } else if (/^\{"type":"(ihave|graft|prune)"/.test(frame) && !frame.startsWith('{"type":"graft","ids":[]')) {
        control++;
        if (frame.startsWith('{"type":"graft"')) grafts++;
      }
      return true;
    },
  });
  try {
    autoLink(network);
    const rnd = seededRandom(run.seed);
    // A random tree to start from (connected and sparse); peer exchange grows it into the overlay.
    for (let i = 1; i < run.peers; i++) network.connect(i, Math.floor(rnd() * i));
    await ticks(network, FORM_TICKS);
    const degrees = network.peers.slice(0, run.peers).map(onlineCount);
    const alive = new Set(Array.from({ length: run.peers }, (_, i) => i));
    const joinedAt = new Map<number, number>();
    const leftAt = new Map<number, number>();
    const sent: { id: string; author: number; at: number }[] = [];
    const rounds = Math.ceil(run.messages / MESSAGES_PER_TICK);
    let nextJoiner = run.peers;
    chatting = true;
    for (let round = 0; round < rounds; round++) {
      // Churn spread evenly over the rounds: leavers close their mesh, newcomers link to one random peer.
      const due = Math.round(((round + 1) * leaving) / rounds);
      while (leftAt.size < due) {
        const members = [...alive];
        const gone = members[Math.floor(rnd() * members.length)] ?? 0;
        alive.delete(gone);
        leftAt.set(gone, round);
        network.peers[gone]?.mesh.close();
        const members2 = [...alive];
        network.connect(nextJoiner, members2[Math.floor(rnd() * members2.length)] ?? 0);
        joinedAt.set(nextJoiner, round);
        alive.add(nextJoiner++);
      }
      silenced = sent.length >= run.messages / 2;
      for (let k = 0; k < MESSAGES_PER_TICK && sent.length < run.messages; k++) {
        const members = [...alive].filter((i) => !run.silent?.has(i));
        const author = members[Math.floor(rnd() * members.length)] ?? 0;
        const message = await network.peers[author]!.mesh.send(`round ${round}.${k}`);
        sent.push({ id: message.id, author, at: round });
        await nextMacrotask();
      }
      await ticks(network, 1);
    }
    await ticks(network, DRAIN_TICKS);
    chatting = false;

    let eligible = 0;
    let delivered = 0;
    let deliveries = 0;
    let viaHistory = 0;
    const hops: number[] = [];
    for (const peer of network.peers) {
      if (peer.index >= nextJoiner) continue;
      const got = new Set(peer.received.map((m) => m.id));
      for (const m of sent) {
        if (m.author === peer.index || !got.has(m.id)) continue;
        deliveries++;
        const h = firstHops.get(`${peer.index} ${m.id}`);
        if (h === undefined) viaHistory++;
        else hops.push(h);
      }
      if (!alive.has(peer.index)) continue;
      for (const m of sent) {
        if (m.author === peer.index || (joinedAt.get(peer.index) ?? -1) >= m.at) continue;
        eligible++;
        if (got.has(m.id)) delivered++;
      }
    }
    const steady = sent.slice(Math.floor(sent.length / 2));
    const steadyIds = new Set(steady.map((m) => m.id));
    let steadyDeliveries = 0;
    const authorOf = new Map(sent.map((m) => [m.id, m.author]));
    for (const peer of network.peers) for (const m of peer.received) if (steadyIds.has(m.id) && authorOf.get(m.id) !== peer.index) steadyDeliveries++;
    const steadyCopies = steady.reduce((sum, m) => sum + (chatFrames.get(m.id) ?? 0), 0);
    const copies = [...chatFrames.values()].reduce((a, b) => a + b, 0);
    hops.sort((a, b) => a - b);
    const round3 = (x: number): number => Math.round(x * 1000) / 1000;
    return {
      delivery: round3(eligible === 0 ? 1 : delivered / eligible),
      copiesPerDelivery: round3(copies / Math.max(1, deliveries)),
      copiesPerDeliverySteady: round3(steadyCopies / Math.max(1, steadyDeliveries)),
      controlPerDelivery: round3(control / Math.max(1, deliveries)),
      p50Hops: percentile(hops, 0.5),
      p99Hops: percentile(hops, 0.99),
      grafts,
      viaHistory,
      meanDegree: round3(degrees.reduce((a, b) => a + b, 0) / Math.max(1, degrees.length)),
    };
  } finally {
    network.close();
  }
}
