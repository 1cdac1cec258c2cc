import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SignalServer } from '../src/create-server';
import { createRedisRoomBus } from '../src/redis-room-bus';
import { silentLog } from '../src/log';
import type { RoomBus } from '../src/room-bus';
import { connect, eventually, health, joinMany, newPeerId, startServer } from './helpers';
import { type RedisProcess, freePort, redisGate, startRedis } from './redis-process';

const gate = redisGate();
let redis: RedisProcess;
const running: { server: SignalServer; bus: RoomBus }[] = [];

beforeAll(async () => {
  gate.check();
  redis = await startRedis();
}, 20_000);
afterAll(() => redis?.stop());
afterEach(async () => {
  for (const { server, bus } of running.splice(0)) {
    await server.close();
    await bus.close();
  }
});

/** A server with its own Redis bus: one "process" of a deployment (in one test process). */
async function process(url = redis.url, options: { maxPeersPerRoom?: number; processId?: string; onWarn?: (msg: string) => void } = {}): Promise<{ server: SignalServer; bus: RoomBus }> {
  const log = { ...silentLog, warn: (_obj: object, msg?: string) => options.onWarn?.(msg ?? '') };
  const bus = createRedisRoomBus({ url, maxPeersPerRoom: options.maxPeersPerRoom ?? 256, presenceTtlMs: 1_500, log, ...(options.processId ? { processId: options.processId } : {}) });
  const server = await startServer({}, { bus });
  const entry = { server, bus };
  running.push(entry);
  await eventually(async () => ((await health(server.url)).status === 'ok' || url !== redis.url ? true : undefined), 'bus connected');
  return entry;
}
const received = (bus: RoomBus): number => bus.figures()?.received ?? -1;

describe.skipIf(gate.skip)('Redis room bus: processes sharing rooms', () => {
  it('lists members on other processes in a welcome', async () => {
    const [a, b] = [await process(), await process()];
    const [onA] = await joinMany(a.server, 'lobby', 1);
    const [onB] = await joinMany(b.server, 'lobby', 1);
    const c = await connect(b.server);
    const welcome = await c.join('lobby');
    expect(welcome.peers.sort()).toEqual([onA!.id, onB!.id].sort());
  });

  it('tells members on other processes when a peer joins and when it leaves', async () => {
    const [a, b] = [await process(), await process()];
    const [onA] = await joinMany(a.server, 'news', 1);
    const [onB] = await joinMany(b.server, 'news', 1);
    await onA!.client.next('peer-joined', (m) => m.peerId === onB!.id);
    onB!.client.ws.close();
    await onA!.client.next('peer-left', (m) => m.peerId === onB!.id);
  });

  it("delivers a signal to a peer on another process, on that process's channel only, with from stamped", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const [a, b, c] = [await process(redis.url, { processId: ids[0] }), await process(redis.url, { processId: ids[1] }), await process(redis.url, { processId: ids[2] })];
    const [onA] = await joinMany(a!.server, 'relay', 1);
    const [onB] = await joinMany(b!.server, 'relay', 1);
    const [onC] = await joinMany(c!.server, 'relay', 1);
    // A listener on every process channel sees where the signal goes.
    const spy = new Redis(redis.url);
    const seen: string[] = [];
    const got = new Promise<void>((resolve) => spy.on('pmessage', (_pattern: string, channel: string) => {
      seen.push(channel);
      resolve();
    }));
    try {
      await spy.psubscribe('shoal:proc:*');
      onA!.client.send({ type: 'signal', to: onB!.id, data: { sdp: 'offer' } });
      expect(await onB!.client.next('signal')).toEqual({ type: 'signal', from: onA!.id, data: { sdp: 'offer' } });
      await got;
      expect(seen).toEqual([`shoal:proc:${ids[1]}`]);
    } finally {
      spy.disconnect();
    }
    expect(onC!.client.messages.some((m) => m.type === 'signal')).toBe(false);
    const metrics = await (await fetch(`${a!.server.url}metrics`)).text();
    expect(metrics).toMatch(/^shoal_bus_published_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^shoal_bus_up 1$/m);
    expect(metrics).toMatch(/^shoal_bus_round_trip_seconds \d/m);
    expect(received(b!.bus)).toBeGreaterThan(0);
  });

  it('refuses a peer id that is live on another process', async () => {
    const [a, b] = [await process(), await process()];
    const id = newPeerId();
    await (await connect(a.server)).join('dup', id);
    const twin = await connect(b.server);
    twin.send({ type: 'join', v: 1, room: 'dup', peerId: id });
    expect(await twin.next('error')).toMatchObject({ code: 'DUPLICATE_PEER' });
  });

  it('counts members on every process against the room size', async () => {
    const [a, b] = [await process(redis.url, { maxPeersPerRoom: 2 }), await process(redis.url, { maxPeersPerRoom: 2 })];
    await joinMany(a.server, 'small', 1);
    await joinMany(b.server, 'small', 1);
    const third = await connect(a.server);
    third.send({ type: 'join', v: 1, room: 'small', peerId: newPeerId() });
    expect(await third.next('error')).toMatchObject({ code: 'ROOM_FULL' });
  });

  it('keeps local rooms working while Redis is down, reports degraded, and registers its members again when Redis is back', async () => {
    const [a, b] = [await process(), await process()];
    const [a1] = await joinMany(a.server, 'outage', 1);
    const [b1] = await joinMany(b.server, 'outage', 1);
    await redis.kill();
    const down = await eventually(async () => {
      const h = await health(a.server.url);
      return h.status === 'degraded' ? h : undefined;
    }, 'degraded health');
    expect(down.reason).toMatch(/^redis: /);
    // This process's room still works without Redis.
    const [a2] = await joinMany(a.server, 'outage', 1);
    await a1!.client.next('peer-joined', (m) => m.peerId === a2!.id);
    a2!.client.send({ type: 'signal', to: a1!.id, data: { still: 'local' } });
    expect((await a1!.client.next('signal')).from).toBe(a2!.id);

    await redis.restart();
    for (const s of [a, b]) await eventually(async () => ((await health(s.server.url)).status === 'ok' ? true : undefined), 'healthy again', 10_000);
    // The new Redis started empty: everyone it knows was registered again by its process.
    const b2 = await connect(b.server);
    const welcome = await b2.join('outage');
    expect(welcome.peers.sort()).toEqual([a1!.id, a2!.id, b1!.id].sort());
    await a2!.client.next('peer-joined', (m) => m.peerId === welcome.peerId);
    b2.send({ type: 'signal', to: a2!.id, data: { back: true } });
    expect((await a2!.client.next('signal', (m) => m.from === welcome.peerId)).data).toEqual({ back: true });
  }, 30_000);

  it('starts with Redis unreachable: degraded health with the reason, local rooms work, no crash', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const warnings: string[] = [];
    const { server } = await process(nowhere, { onWarn: (msg) => warnings.push(msg) });
    const h = await eventually(async () => {
      const r = await health(server.url);
      return r.reason?.includes('ECONNREFUSED') ? r : undefined;
    }, 'the refused connection in /healthz');
    expect(h.status).toBe('degraded');
    const [x, y] = await joinMany(server, 'alone', 2);
    x!.client.send({ type: 'signal', to: y!.id, data: { n: 1 } });
    expect((await y!.client.next('signal')).from).toBe(x!.id);
    // One clear line, not one per reconnect attempt.
    expect(warnings).toEqual(['redis unreachable: rooms are local to this process until it is back']);
  });

  it('refuses malformed and forged messages from Redis without delivering them', async () => {
    const processId = randomUUID();
    const { server, bus } = await process(redis.url, { processId });
    const [member] = await joinMany(server, 'guarded', 1);
    const to = member!.id;
    const record = (frame: string | Buffer, room = 'guarded'): Buffer => {
      const bytes = Buffer.from(frame);
      return Buffer.concat([Buffer.from(`${room}\n${to}\n${bytes.length}\n`), bytes]);
    };
    const signal = (data: string): string => `{"type":"signal","from":"${newPeerId()}","data":${data}}`;
    const own = `shoal:proc:${processId}`;
    const publisher = new Redis(redis.url);
    try {
      const forged: [string, string | Buffer][] = [
        [own, 'not a record'],
        [own, record('{"type":"welcome"}')],
        [own, record('{"type":"error","code":"ROOM_FULL","message":"forged"}')],
        [own, record(signal('{}'), '../x')],
        [own, Buffer.concat([record(signal('{}')).subarray(0, 60)])],
        [own, `guarded\n${to}\n9999999\n${signal('{}')}`],
        // Invalid UTF-8 inside data: it would go out as a text frame byte for byte and break the socket.
        [own, record(Buffer.concat([Buffer.from(signal('{"x":"').slice(0, -1)), Buffer.from([0xff]), Buffer.from('"}}')]))],
        ['shoal:room:guarded', 'nobody\n{"type":"peer-left","peerId":"x"}'],
        ['shoal:room:guarded', `${randomUUID()}\n${signal('{}')}`],
      ];
      for (const [channel, message] of forged) await publisher.publish(channel, message);
      // Two good records in one message, then a bad one: the good ones arrive, the bad one is counted.
      await publisher.publish(own, Buffer.concat([record(signal('{"n":1}')), record(signal('{"n":2}')), Buffer.from('garbage')]));
      await member!.client.next('signal', (m) => m.data.n === 2);
      expect(bus.figures()?.errors.payload).toBe(forged.length + 1);
      expect(member!.client.messages.map((m) => (m.type === 'signal' ? m.data.n : m.type))).toEqual(['welcome', 1, 2]);
    } finally {
      publisher.disconnect();
    }
  });
});
