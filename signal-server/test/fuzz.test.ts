import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PROTOCOL_VERSION } from '@shoal/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalServer } from '../src/create-server';
import { type TestClient, connect, joinMany, newPeerId, startServer } from './helpers';

const FRAMES = 12_000;
const BATCH = 100;

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed exactly. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A forced full GC, so heap numbers compare settled heaps rather than garbage. */
function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function frameMaker(random: () => number, ids: string[]): () => string | Buffer {
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const id = (): string => (random() < 0.7 ? pick(ids) : newPeerId());
  const valid = (): string =>
    pick([
      () => JSON.stringify({ type: 'join', v: pick([PROTOCOL_VERSION, PROTOCOL_VERSION, 0, 2, -1]), room: pick(['fz', 'fz2', 'x'.repeat(65), '']), peerId: id() }),
      () => JSON.stringify({ type: 'signal', to: id(), data: { sdp: 'v=0'.repeat(int(50)), n: int(1e6) } }),
      () => '{"type":"leave"}',
    ])();
  const junkValue = (depth: number): unknown =>
    depth > 3
      ? null
      : pick([
          () => int(1e9) - 5e8,
          () => random().toString(36),
          () => null,
          () => random() < 0.5,
          () => Array.from({ length: int(4) }, () => junkValue(depth + 1)),
          () => Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['type', 'to', 'data', 'from', 'v', 'room', 'peerId', '__proto__', 'constructor']), junkValue(depth + 1)])),
        ])();
  const mutate = (text: string): string => {
    const chars = [...text];
    for (let k = 0, n = 1 + int(4); k < n; k++) {
      const at = int(chars.length + 1);
      const op = int(4);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, pick(['{', '}', '"', ',', ':', '\\', '\u0000', '\ud800', 'é', ' ']));
      else if (op === 2) chars.length = at;
      else chars.splice(at, 0, ...chars.slice(int(chars.length)));
    }
    return chars.join('');
  };
  return () =>
    pick<() => string | Buffer>([
      () => valid(),
      () => mutate(valid()),
      () => mutate(valid()),
      () => JSON.stringify(junkValue(0)),
      () => JSON.stringify({ type: pick(['join', 'signal', 'leave', 'welcome', 'error', '']), ...(junkValue(1) as object) }),
      () => Buffer.from(Array.from({ length: int(64) }, () => int(256))),
      () => String.fromCharCode(...Array.from({ length: int(64) }, () => int(0x3000))),
      // Rarely, an oversize frame: that connection closes with 1009 and the fuzzer reconnects.
      () => (random() < 0.02 ? 'x'.repeat(70 * 1024) : '{}'),
    ])();
}

let server: SignalServer;
beforeAll(async () => {
  // Generous limits so the server parses every fuzz frame instead of closing the fuzzer early.
  server = await startServer({ rateLimitPerSec: 1_000_000, rateLimitBurst: 1_000_000, maxBadFrames: 1_000_000, maxFrameBytes: 64 * 1024 });
});
afterAll(() => server.close());

describe('fuzzing the signal server', () => {
  it(`stays up, keeps serving and keeps memory bounded through ${FRAMES} random and mutated frames`, async () => {
    const random = prng(0x5ea1);
    const warm = await joinMany(server, 'warm', 2);
    warm[0]!.client.send({ type: 'signal', to: warm[1]!.id, data: {} });
    await warm[1]!.client.next('signal');
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const ids = warm.map((w) => w.id as string);
    const make = frameMaker(random, ids);

    const lanes: TestClient[] = [];
    for (let i = 0; i < 4; i++) lanes.push(await connect(server));
    let sent = 0;
    let reconnects = 0;
    while (sent < FRAMES) {
      await Promise.all(
        lanes.map(async (lane, i) => {
          if (lane.ws.readyState !== lane.ws.OPEN) {
            lanes[i] = await connect(server);
            reconnects++;
          }
          const frames = Array.from({ length: BATCH }, make);
          sent += frames.length;
          const wait = new Promise<void>((resolve) => {
            lanes[i]!.ws.once('pong', () => resolve());
            void lanes[i]!.closed.then(() => resolve());
          });
          for (const f of frames) lanes[i]!.ws.send(f);
          lanes[i]!.ws.ping();
          await wait;
        }),
      );
    }
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(server.metrics.framesReceived).toBeGreaterThan(sent * 0.8);
    expect(reconnects).toBeGreaterThan(0);

    // Still up and still serving: the warm pair relays, and a new pair joins and relays.
    warm[1]!.client.send({ type: 'signal', to: warm[0]!.id, data: { after: 'fuzz' } });
    expect((await warm[0]!.client.next('signal', (m) => m.data['after'] === 'fuzz')).from).toBe(warm[1]!.id);
    const [a, b] = await joinMany(server, 'after', 2);
    a!.client.send({ type: 'signal', to: b!.id, data: { ok: true } });
    expect((await b!.client.next('signal')).data).toEqual({ ok: true });

    // Memory: every fuzz connection's state is freed once it closes.
    for (const lane of lanes) lane.ws.close();
    await Promise.all(lanes.map((lane) => lane.closed));
    for (const c of [a!, b!]) c.client.ws.close();
    await Promise.all([a!, b!].map((c) => c.client.closed));
    await waitForConnections(server, 2);
    gc();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);
});

async function waitForConnections(s: SignalServer, n: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const res = await fetch(new URL('/healthz', s.url.replace('localhost', '127.0.0.1')));
    const body = (await res.json()) as { connections: number };
    if (body.connections === n) return;
    if (Date.now() > deadline) throw new Error(`still ${body.connections} connections`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
