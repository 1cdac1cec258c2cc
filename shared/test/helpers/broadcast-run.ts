import type { MeshOptions } from '../../src/index';
import { autoLink } from './auto-link';
import { createSimNetwork, nextMacrotask, onlineCount, seededRandom, type SimNetwork } from './sim-network';

/**
 * Broadcast runs over memory links, instant crypto and the fake clock (issue 14's bench and its CI
 * simulations): a big room forms through peer exchange alone — no signal server anywhere: links form
 * only by signals relayed over the mesh (autoLink) — then goes through chat phases (steady, churn,
 * silent relays, a partition, a mass departure), each measured on its own. Deterministic for a seed.
 */
export interface BroadcastRoomOptions {
  peers: number;
  seed: number;
  /** Peers kept in reserve to join later (churn). */
  spare: number;
  options?: Partial<MeshOptions>;
}

export interface ChatPhaseOptions {
  /** Messages sent in all (spread over rounds, MESSAGES_PER_ROUND each, one tick apart). */
  messages: number;
  /** Peers that leave during the phase, and as many newcomers that join (each linked to one random linked member). */
  churn?: number;
  /**
   * Peers (indices) that, once half the phase's messages are out (the tree formed with them in it), accept
   * everything and pass on nothing: no chat copy, no announcement, no history answer. They send no
   * messages of their own. (Silent from the start, the first push already avoids them.)
   */
  silent?: ReadonlySet<number>;
  /** Runs after the last message, before the drain (a partition heals). */
  beforeDrain?: () => void;
  /** Ticks after the last message before delivery is counted. Default DRAIN_TICKS. */
  drainTicks?: number;
}

export interface BroadcastFigures {
  /** Fraction of (message, peer) pairs delivered, over peers present from the send to the end. */
  delivery: number;
  /** Chat frames sent per message delivered to a peer other than its author. */
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
}

export interface BroadcastRoom {
  network: SimNetwork;
  /** Indices of the peers in the room now. */
  alive: Set<number>;
  /** Mean links per member (the overlay both modes chat over). */
  meanDegree(): number;
  /** Members reachable from the first member over open links. */
  reachable(): number;
  /** Sizes of the groups of members linked among themselves, largest first. */
  components(): number[];
  /** Half the members, a ball around one member over links, chosen so both halves are linked within. */
  half(): Set<number>;
  /** Members with no open link left. */
  isolated(): number[];
  chat(phase: ChatPhaseOptions): Promise<BroadcastFigures>;
  /** Closes these members' meshes at once (their links drop; no goodbye). */
  depart(leaving: readonly number[]): void;
  /** Cuts every link between `side` (give or take a member whose every link would cross) and the rest, and drops every frame across until heal. */
  partition(side: ReadonlySet<number>): void;
  /** Ends the partition; one link across, between members with links, is made, as the signal server or a shared invite would. */
  heal(): void;
  ticks(n: number): Promise<void>;
  close(): void;
}

const PING_MS = 1000;
const MESSAGES_PER_ROUND = 5;
const FORM_TICKS = 40;
const DRAIN_TICKS = 10;

/**
 * Time moves in STEP_MS steps with the network settled in between: frames travel in microtasks, which
 * do not run inside one clock.advance, so a single leap of a tick would fire the ping tick (and its
 * history poll) before any announcement sent at +50 ms had even arrived.
 */
const STEP_MS = 50;

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const CONTROL_FRAME = /^\{"type":"(ihave|graft|prune)"/;

/** Forms a room of `peers` from a random tree of links; peer exchange grows it into the overlay. */
export async function formBroadcastRoom(room: BroadcastRoomOptions): Promise<BroadcastRoom> {
  const chatFrames = new Map<string, number>(); // message id -> chat frames carrying it
  const firstHops = new Map<string, number>(); // `${peer} ${id}` -> hops of the first copy
  let control = 0;
  let grafts = 0;
  let silent: ReadonlySet<number> = new Set();
  let walls: ReadonlySet<number> | null = null; // one side of a partition
  const across = (from: number, to: number): boolean => walls !== null && walls.has(from) !== walls.has(to);
  const network = await createSimNetwork({
    size: room.peers + room.spare, crypto: 'instant', options: { pingIntervalMs: PING_MS, hopLimit: 64, ...room.options },
    onFrame(from, to, frame) {
      if (across(from, to)) return false;
      if (silent.has(from) && /^\{"type":"(chat|ihave|history-batch)"/.test(frame)) return false;
      if (frame.startsWith('{"type":"chat"')) {
        const { hops, message } = JSON.parse(frame) as { hops: number; message: { id: string } };
        chatFrames.set(message.id, (chatFrames.get(message.id) ?? 0) + 1);
        const key = `${to} ${message.id}`;
        if (!firstHops.has(key)) firstHops.set(key, hops);
      } else if (CONTROL_FRAME.test(frame) && !frame.startsWith('{"type":"graft","ids":[]')) {
        control++;
        if (frame.startsWith('{"type":"graft"')) grafts++;
      }
      return true;
    },
  });
  autoLink(network);
  const rnd = seededRandom(room.seed);
  const alive = new Set(Array.from({ length: room.peers }, (_, i) => i));
  let nextJoiner = room.peers;
  const randomMember = (): number => {
    const members = [...alive];
    return members[Math.floor(rnd() * members.length)] ?? 0;
  };

  async function ticks(n: number): Promise<void> {
    for (let t = 0; t < (n * PING_MS) / STEP_MS; t++) {
      await nextMacrotask();
      network.clock.advance(STEP_MS);
    }
    await nextMacrotask();
  }

  const linksOf = (i: number): number[] => {
    const indexOf = new Map(network.peers.map((p) => [p.id, p.index]));
    return (network.peers[i]?.mesh.peers() ?? []).filter((p) => p.state === 'online').map((p) => indexOf.get(p.peerId) ?? -1);
  };

  /** Members reachable from `start` over open links, nearest first, up to `limit`. */
  function reachedFrom(start: number, limit = Infinity): number[] {
    const seen = new Set([start]);
    const queue = [start];
    for (let k = 0; k < queue.length && seen.size < limit; k++) {
      for (const j of linksOf(queue[k] ?? start)) {
        if (seen.size >= limit) break;
        if (alive.has(j) && !seen.has(j)) queue.push(j), seen.add(j);
      }
    }
    return queue;
  }

  function reachable(): number {
    const [start] = alive;
    return start === undefined ? 0 : reachedFrom(start).length;
  }

  function components(): number[] {
    const sizes: number[] = [];
    const done = new Set<number>();
    for (const i of alive) {
      if (done.has(i)) continue;
      const component = reachedFrom(i);
      for (const j of component) done.add(j);
      sizes.push(component.length);
    }
    return sizes.sort((a, b) => b - a);
  }

  async function chat(phase: ChatPhaseOptions): Promise<BroadcastFigures> {
    chatFrames.clear();
    firstHops.clear();
    control = 0;
    grafts = 0;
    const leaving = phase.churn ?? 0;
    const joinedAt = new Map<number, number>();
    const sent: { id: string; author: number; at: number }[] = [];
    const rounds = Math.ceil(phase.messages / MESSAGES_PER_ROUND);
    const present = new Set(alive);
    let left = 0;
    for (let round = 0; round < rounds; round++) {
      // Churn spread evenly over the rounds: this round's leavers close their mesh, then as many newcomers
      // each link to one random member that stays and has links (whom the signal server would introduce:
      // a newcomer handed a peer that left in the same instant would ask the server again).
      const leaversNow = Math.round(((round + 1) * leaving) / rounds) - left;
      for (let k = 0; k < leaversNow; k++) {
        const gone = randomMember();
        alive.delete(gone);
        network.peers[gone]?.mesh.close();
        left++;
      }
      const linked = [...alive].filter((i) => linksOf(i).length > 0);
      for (let k = 0; k < leaversNow; k++) {
        network.connect(nextJoiner, linked[Math.floor(rnd() * linked.length)] ?? randomMember());
        joinedAt.set(nextJoiner, round);
        present.add(nextJoiner);
        alive.add(nextJoiner++);
      }
      if (sent.length >= phase.messages / 2) silent = phase.silent ?? new Set();
      for (let k = 0; k < MESSAGES_PER_ROUND && sent.length < phase.messages; k++) {
        const authors = [...alive].filter((i) => !phase.silent?.has(i));
        const author = authors[Math.floor(rnd() * authors.length)] ?? 0;
        const message = await network.peers[author]!.mesh.send(`round ${round}.${k}`);
        sent.push({ id: message.id, author, at: round });
        await nextMacrotask();
      }
      await ticks(1);
    }
    phase.beforeDrain?.();
    await ticks(phase.drainTicks ?? DRAIN_TICKS);
    silent = new Set();

    let eligible = 0;
    let delivered = 0;
    let deliveries = 0;
    let viaHistory = 0;
    const hops: number[] = [];
    const sentIds = new Set(sent.map((m) => m.id));
    const authorOf = new Map(sent.map((m) => [m.id, m.author]));
    for (const index of present) {
      const peer = network.peers[index]!;
      const got = new Set(peer.received.filter((m) => sentIds.has(m.id)).map((m) => m.id));
      for (const id of got) {
        if (authorOf.get(id) === index) continue;
        deliveries++;
        const h = firstHops.get(`${index} ${id}`);
        if (h === undefined) viaHistory++;
        else hops.push(h);
      }
      if (!alive.has(index)) continue;
      for (const m of sent) {
        if (m.author === index || (joinedAt.get(index) ?? -1) >= m.at) continue;
        eligible++;
        if (got.has(m.id)) delivered++;
      }
    }
    const steady = sent.slice(Math.floor(sent.length / 2));
    const steadyIds = new Set(steady.map((m) => m.id));
    let steadyDeliveries = 0;
    for (const index of present) {
      for (const m of network.peers[index]!.received) if (steadyIds.has(m.id) && authorOf.get(m.id) !== index) steadyDeliveries++;
    }
    const steadyCopies = steady.reduce((sum, m) => sum + (chatFrames.get(m.id) ?? 0), 0);
    const copies = sent.reduce((sum, m) => sum + (chatFrames.get(m.id) ?? 0), 0);
    hops.sort((a, b) => a - b);
    return {
      delivery: round3(eligible === 0 ? 1 : delivered / eligible),
      copiesPerDelivery: round3(copies / Math.max(1, deliveries)),
      copiesPerDeliverySteady: round3(steadyCopies / Math.max(1, steadyDeliveries)),
      controlPerDelivery: round3(control / Math.max(1, deliveries)),
      p50Hops: percentile(hops, 0.5),
      p99Hops: percentile(hops, 0.99),
      grafts,
      viaHistory,
    };
  }

  // A random tree to start from (connected and sparse); peer exchange grows it into the overlay.
  for (let i = 1; i < room.peers; i++) network.connect(i, Math.floor(rnd() * i));
  await ticks(FORM_TICKS);

  return {
    network,
    alive,
    meanDegree() {
      const degrees = [...alive].map((i) => onlineCount(network.peers[i]!));
      return round3(degrees.reduce((a, b) => a + b, 0) / Math.max(1, degrees.length));
    },
    reachable,
    components,
    half() {
      // The ball around the first member whose rest is linked within itself too (two halves, not three parts).
      const connected = (group: ReadonlySet<number>): boolean => {
        const [start] = group;
        const seen = new Set(start === undefined ? [] : [start]);
        for (const queue = [...seen]; queue.length > 0;) {
          for (const j of linksOf(queue.pop() ?? -1)) if (group.has(j) && !seen.has(j)) seen.add(j), queue.push(j);
        }
        return seen.size === group.size;
      };
      for (const start of alive) {
        const ball = new Set(reachedFrom(start, Math.floor(alive.size / 2)));
        if (connected(new Set([...alive].filter((i) => !ball.has(i))))) return ball;
      }
      throw new Error('no member splits the room into two linked halves');
    },
    isolated: () => [...alive].filter((i) => linksOf(i).length === 0),
    chat,
    depart(leaving) {
      for (const i of leaving) {
        alive.delete(i);
        network.peers[i]?.mesh.close();
      }
    },
    partition(side) {
      // A member whose every link would cross goes to its neighbours' side: a partition splits the
      // network, it does not cut one peer off from all it reaches (that peer would ask the signal server).
      const inside = new Set(side);
      for (const i of alive) {
        const links = linksOf(i).filter((j) => alive.has(j));
        if (links.length === 0 || !links.every((j) => inside.has(j) !== inside.has(i))) continue;
        if (inside.has(i)) inside.delete(i);
        else inside.add(i);
      }
      walls = inside;
      network.wires.forEach((wire, k) => {
        const [i, j] = network.wireEnds[k] ?? [-1, -1];
        if (across(i, j)) wire.cut();
      });
    },
    heal() {
      const side = walls;
      walls = null;
      const linked = [...alive].filter((i) => linksOf(i).length > 0);
      const inside = linked.find((i) => side?.has(i));
      const outside = linked.find((i) => !side?.has(i));
      if (inside !== undefined && outside !== undefined) network.connect(inside, outside);
    },
    ticks,
    close: () => network.close(),
  };
}

/**
 * Bytes a member of the room sends per second while no one chats (pings, topology, sync polls), over
 * `seconds` of quiet: a window shorter than the topology refresh (450 ms per member past 66) samples
 * only the refreshes that fall in it.
 */
async function idleBytesPerMember(room: BroadcastRoom, seconds: number): Promise<number> {
  const sent = () => [...room.alive].reduce((sum, i) => sum + (room.network.peers[i]?.mesh.counters().bytesSent ?? 0), 0);
  const before = sent();
  await room.ticks(seconds);
  return Math.round((sent() - before) / (room.alive.size * seconds));
}

/** One room, one chat phase (with churn spread over it), then a quiet spell: what bench:broadcast prints. */
export async function runBroadcast(run: {
  peers: number; messages: number; churn: number; seed: number; options?: Partial<MeshOptions>;
  /** Seconds of quiet after the chat over which idle traffic is measured. */
  idleSeconds: number;
  /** Told when the room has formed and when the chat is over (a 1000-peer run takes tens of minutes). */
  progress?: (stage: 'formed' | 'chatted') => void;
}): Promise<BroadcastFigures & { meanDegree: number; idleBytesPerMemberPerSecond: number }> {
  const leaving = Math.round(run.churn * run.peers);
  const room = await formBroadcastRoom({ peers: run.peers, seed: run.seed, spare: leaving, ...(run.options && { options: run.options }) });
  try {
    const meanDegree = room.meanDegree();
    run.progress?.('formed');
    const figures = await room.chat({ messages: run.messages, churn: leaving });
    run.progress?.('chatted');
    return { ...figures, meanDegree, idleBytesPerMemberPerSecond: await idleBytesPerMember(room, run.idleSeconds) };
  } finally {
    room.close();
  }
}
