import { randomUUID } from 'node:crypto';
import { type PeerId, type RoomName, toPeerId } from '@shoal/shared';
import * as v from 'valibot';
import {
  PROCESSES_KEY, membersKey, memberEntry, parseRoomEvent, parseSignalBatch, processChannel, roomChannel, roomEnvelope, roomKey, signalRecord,
} from './bus-envelope';
import { createInProcessRoomBus } from './in-process-room-bus';
import type { Log } from './log';
import { createRedisClients } from './redis-clients';
import { JOIN, LEAVE, RELAY, SYNC, TICK } from './redis-scripts';
import type { BusFigures, BusHealth, JoinOutcome, Mailbox, MemberHandle, RoomBus } from './room-bus';

/** Signals relayed in one RELAY call at most (the script blocks Redis while it runs). */
export const MAX_RELAY_BATCH = 512;
/** Members of dead processes removed per presence refresh (the script blocks Redis while it runs). */
export const MAX_REAP_PER_TICK = 1_000;

export interface RedisRoomBusOptions {
  /** `redis://[:password@]host:port[/db]`. */
  url: string;
  /** Members allowed in one room, across all processes. */
  maxPeersPerRoom: number;
  /**
   * A process refreshes its presence every third of this; when it stops (dies), its members leave
   * their rooms for everyone else within about 4/3 of it, ms. Default 15000.
   */
  presenceTtlMs?: number;
  log: Log;
  /** This process's id on the backplane. Default a random UUID (ids must never be reused). */
  processId?: string;
}

export const DEFAULT_PRESENCE_TTL_MS = 15_000;

const JoinReply = v.union([
  v.tuple([v.literal(-1)]),
  v.tuple([v.literal(-2)]),
  v.tuple([v.literal(0), v.array(v.string())]),
]);
const TickReply = v.tuple([v.number(), v.number()]);
const SyncReply = v.array(v.string());

/**
 * Rooms shared by every process on one Redis. Local members live in an in-process bus, so delivery
 * to them costs what it costs without Redis; Redis holds who is where (a hash per room: peer -> process)
 * and carries room events (one channel per room) and signals (one channel per process, so a signal
 * reaches only the addressee's process). Redis going away never fails a local operation: joins fall
 * back to this process's rooms, and once Redis is back the bus registers its members again.
 */
export function createRedisRoomBus(options: RedisRoomBusOptions): RoomBus {
  const { log, maxPeersPerRoom } = options;
  const presenceTtlMs = options.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS;
  const processId = options.processId ?? randomUUID();
  const local = createInProcessRoomBus({ maxPeersPerRoom });
  const figures: BusFigures = { published: 0, received: 0, errors: { command: 0, payload: 0 }, roundTripMs: null, up: 0 };
  /** Local members plus joins in flight, per room: subscribed to a room's channel while above zero. */
  const interest = new Map<RoomName, { count: number; subscribed: Promise<unknown> }>();
  let lastError = 'connecting';
  /** Set when Redis may disagree with our members (a failed join or leave): the next tick syncs. */
  let dirty = false;
  let closed = false;
  let ticking = false;

  const { cmd, sub } = createRedisClients(options.url, processId);

  const failed = (what: string) => (err: unknown): void => {
    figures.errors.command++;
    log.debug({ err: err instanceof Error ? err.message : String(err), what }, 'redis command failed');
  };
  /** One warning per outage (and one at start when Redis is not there), not one per reconnect attempt. */
  let warned = false;
  const onRedisError = (err: Error): void => {
    lastError = err.message;
    if (!warned) log.warn({ reason: err.message }, 'redis unreachable: rooms are local to this process until it is back');
    warned = true;
  };
  cmd.on('error', onRedisError);
  sub.on('error', onRedisError);
  const onDown = (): void => {
    figures.up = 0;
  };
  cmd.on('close', onDown);
  sub.on('close', onDown);
  cmd.on('ready', () => {
    // Redis may have restarted empty, or missed joins and leaves while away.
    dirty = true;
    void tick();
  });
  /** Our channels are subscribed on the current subscriber connection (health waits for it). */
  let subscribed = false;
  sub.on('close', () => {
    subscribed = false;
  });
  sub.on('ready', () => {
    const channels = [processChannel(processId), ...[...interest.keys()].map(roomChannel)];
    sub.subscribe(...channels).then(
      () => {
        subscribed = true;
      },
      failed('subscribe'),
    );
  });

  const ownChannel = processChannel(processId);
  sub.on('messageBuffer', (channelBuf: Buffer, message: Buffer) => {
    figures.received++;
    const channel = channelBuf.toString('latin1');
    if (channel === ownChannel) {
      const { records, error } = parseSignalBatch(message);
      for (const r of records) local.deliverTo(r.room, r.to, r.frame);
      if (error) refused(error.message);
      return;
    }
    const parsed = parseRoomEvent(channel, message.toString());
    if (!parsed.ok) return refused(parsed.error.message);
    // Our own events were delivered locally when published.
    if (parsed.value.origin !== processId) local.deliverAll(parsed.value.room, parsed.value.frame);
  });

  function refused(reason: string): void {
    figures.errors.payload++;
    log.debug({ reason }, 'refused a message from redis');
  }

  const ready = (): boolean => cmd.status === 'ready';

  /**
   * Counts interest in a room and subscribes to its channel on the first. Resolves once subscribed, so
   * a joiner misses no event published after its welcome was sampled.
   */
  function retain(room: RoomName): Promise<unknown> {
    const held = interest.get(room);
    if (held) {
      held.count++;
      return held.subscribed;
    }
    const subscribed = sub.status === 'ready' ? sub.subscribe(roomChannel(room)).catch(failed('subscribe')) : Promise.resolve();
    interest.set(room, { count: 1, subscribed });
    return subscribed;
  }
  function release(room: RoomName): void {
    const held = interest.get(room);
    if (held && --held.count > 0) return;
    interest.delete(room);
    if (sub.status === 'ready') sub.unsubscribe(roomChannel(room)).catch(failed('unsubscribe'));
  }

  /** Entries of joins between their Redis claim and their local join (see sync). */
  const claiming = new Set<string>();

  async function claim(room: RoomName, peerId: PeerId, limit: number): Promise<v.InferOutput<typeof JoinReply> | null> {
    if (!ready()) return null;
    try {
      const reply = v.safeParse(JoinReply, await JOIN(cmd, [roomKey(room), membersKey(processId)], [peerId, processId, maxPeersPerRoom, limit, memberEntry(room, peerId)]));
      if (reply.success) return reply.output;
      figures.errors.payload++;
    } catch (err) {
      failed('join')(err);
    }
    // The claim may or may not have been written: the next sync settles it.
    dirty = true;
    return null;
  }

  /** Relays of this event-loop turn, as RELAY's ARGV triples: one script call per turn, not per frame. */
  let relays: (string | Buffer)[] = [];
  function flushRelays(): void {
    if (relays.length === 0) return;
    const args = relays;
    relays = [];
    figures.published += args.length / 3;
    if (!ready()) return failed('relay')(new Error('redis not connected'));
    RELAY(cmd, [], args).catch(failed('relay'));
  }

  async function joinClaimed(room: RoomName, peerId: PeerId, mailbox: Mailbox, peerListLimit: number, entry: string): Promise<JoinOutcome> {
    const reply = await claim(room, peerId, peerListLimit);
    if (reply && reply[0] !== 0) {
      release(room);
      return { ok: false, code: reply[0] === -1 ? 'DUPLICATE_PEER' : 'ROOM_FULL' };
    }
    // Without Redis: this process's rooms only, sampled locally; registered on the next sync.
    const joined = await local.join(room, peerId, mailbox, reply ? 0 : peerListLimit);
    if (!joined.ok) {
      release(room);
      if (reply) LEAVE(cmd, [roomKey(room), membersKey(processId)], [peerId, processId, entry]).catch(failed('leave'));
      return joined;
    }
    if (!reply) return joined;
    const peers = reply[1].map(toPeerId).filter((id): id is PeerId => id !== null && id !== peerId);
    if (peers.length !== reply[1].length) figures.errors.payload++;
    return { ok: true, member: joined.member, peers };
  }

  /** Presence refresh, reaping of dead processes, and a sync of our members when Redis needs one. */
  async function tick(): Promise<void> {
    if (ticking || closed || !ready()) return;
    ticking = true;
    try {
      const started = performance.now();
      const reply = v.safeParse(TickReply, await TICK(cmd, [PROCESSES_KEY], [processId, presenceTtlMs, MAX_REAP_PER_TICK]));
      figures.roundTripMs = performance.now() - started;
      if (!reply.success) throw new Error('unexpected TICK reply');
      if (reply.output[0] === 1 || dirty) await sync();
      if (figures.up === 0) log.info({ processId, members: local.stats().peers }, 'redis connected; members registered');
      warned = false;
      figures.up = 1;
      lastError = '';
    } catch (err) {
      failed('presence')(err);
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      ticking = false;
    }
  }

  async function sync(): Promise<void> {
    dirty = false;
    // Joins claimed in Redis but not yet added locally count as ours: a sync must not remove them.
    const entries = [...local.members().map((m) => memberEntry(m.room, m.peerId)), ...claiming];
    const reply = v.safeParse(SyncReply, await SYNC(cmd, [membersKey(processId)], [processId, ...entries]));
    if (!reply.success) throw new Error('unexpected SYNC reply');
    // Both processes took the id while Redis was away; the other one keeps it on the backplane.
    if (reply.output.length > 0) log.warn({ conflicts: reply.output.length }, 'peer ids live on another process too');
  }

  const timer = setInterval(() => void tick(), Math.max(1, Math.floor(presenceTtlMs / 3)));
  timer.unref();

  return {
    async join(room, peerId, mailbox, peerListLimit): Promise<JoinOutcome> {
      await retain(room);
      const entry = memberEntry(room, peerId);
      claiming.add(entry);
      try {
        return await joinClaimed(room, peerId, mailbox, peerListLimit, entry);
      } finally {
        claiming.delete(entry);
      }
    },
    sendTo(from, to, frame) {
      if (local.sendTo(from, to, frame)) return true;
      if (!ready() || to === from.peerId) return false;
      // Whether `to` exists is known to Redis only; the frame is dropped there when it does not.
      if (relays.push(from.room, to, signalRecord(from.room, to, frame)) === 3) setImmediate(flushRelays);
      else if (relays.length >= MAX_RELAY_BATCH * 3) flushRelays();
      return true;
    },
    broadcast(from, frame) {
      local.broadcast(from, frame);
      if (!ready()) return;
      figures.published++;
      cmd.publish(roomChannel(from.room), roomEnvelope(processId, frame)).catch(failed('publish'));
    },
    leave(member: MemberHandle) {
      const before = local.stats().peers;
      local.leave(member);
      if (local.stats().peers === before) return;
      release(member.room);
      if (!ready()) {
        dirty = true;
        return;
      }
      LEAVE(cmd, [roomKey(member.room), membersKey(processId)], [member.peerId, processId, memberEntry(member.room, member.peerId)]).catch((err: unknown) => {
        dirty = true;
        failed('leave')(err);
      });
    },
    stats: () => local.stats(),
    health(): BusHealth {
      if (figures.up === 1 && ready() && subscribed) return { status: 'ok' };
      return { status: 'degraded', reason: `redis: ${lastError || cmd.status}` };
    },
    figures: () => figures,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      flushRelays();
      // Leaving on purpose: nobody has to wait out our presence TTL (our members left one by one).
      if (ready()) await cmd.zrem(PROCESSES_KEY, processId).catch(failed('deregister'));
      // quit() waits for replies still due (the leaves of the last members); disconnect() if Redis is gone.
      await Promise.all([cmd, sub].map((c) => (c.status === 'ready' ? c.quit().then(() => undefined, () => c.disconnect()) : c.disconnect())));
    },
  };
}
