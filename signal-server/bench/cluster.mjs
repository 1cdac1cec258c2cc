// Scale-out benchmark: `npm run bench:cluster` (builds first). Needs redis-server (started here on an
// ephemeral port, no persistence, killed on exit). Prints ONE JSON line:
//  - relayInProcess: 1,000 clients in rooms of 8 on one process, in-process bus (the baseline)
//  - relayRedis: the same load with each room's members alternating between two processes on one
//    Redis, so every frame crosses processes; server CPU includes both processes and Redis
//  - workersIdle: 30,000 idle clients on one port served by `--workers 2` (one process tops out near
//    19,980 sockets here), RSS of all workers per client
//  - deadProcess: SIGKILL of one of two processes -> time until members on the other see peer-left
//    for all of its members, with the default presence TTL
// Env: BENCH_SERVER_NODE_ARGS, BENCH_RELAY_CLIENTS, BENCH_WINDOW, BENCH_FIXED_RATE, BENCH_IDLE_CLIENTS, BENCH_WORKERS,
// BENCH_PRESENCE_TTL_MS, BENCH_PHASES (comma list of the phase names above).
import { createServer } from 'node:net';
import WebSocket from 'ws';
import {
  runMain, childPids, guardProcess, ready, relayPhase, round, rssBytes, sleep, spawnTracked, startGenerators, startServer, stopGenerators,
} from './harness.mjs';

const RELAY_CLIENTS = Number(process.env.BENCH_RELAY_CLIENTS ?? 1_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 4);
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 20_000);
const IDLE_CLIENTS = Number(process.env.BENCH_IDLE_CLIENTS ?? 30_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const PRESENCE_TTL_MS = process.env.BENCH_PRESENCE_TTL_MS;
// Extra node flags for the server processes only (e.g. `--cpu-prof`), for investigating a run.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PHASES = (process.env.BENCH_PHASES ?? 'relayInProcess,relayRedis,workersIdle,deadProcess').split(',');
/** Sockets one generator process opens (its own descriptor limit is 20,000). */
const PER_GENERATOR = 19_000;
const DEAD_ROOMS = 8;
const DEAD_PER_ROOM = 7;

guardProcess(12 * 60_000);

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startRedis() {
  const port = await freePort();
  const redis = spawnTracked('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await redis.next((l) => l.includes('Ready to accept connections'), 'redis start', 10_000);
  return { url: `redis://127.0.0.1:${port}`, pid: redis.child.pid, child: redis.child };
}

async function stop(server) {
  const exited = new Promise((resolve) => server.child.on('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
}

const redisFlags = (redis) => ['--redis-url', redis.url, ...(PRESENCE_TTL_MS ? ['--presence-ttl-ms', PRESENCE_TTL_MS] : [])];

async function relayInProcess() {
  const server = await startServer([], SERVER_NODE_ARGS);
  const result = await relayPhase({ pids: [server.pid], ports: [server.port] }, { clients: RELAY_CLIENTS, window: WINDOW, fixedRate: FIXED_RATE });
  await stop(server);
  return result;
}

async function relayRedis(redis) {
  const servers = [await startServer(redisFlags(redis), SERVER_NODE_ARGS), await startServer(redisFlags(redis), SERVER_NODE_ARGS)];
  const result = await relayPhase({ pids: [...servers.map((s) => s.pid), redis.pid], ports: servers.map((s) => s.port) }, { clients: RELAY_CLIENTS, window: WINDOW, fixedRate: FIXED_RATE });
  for (const s of servers) await stop(s);
  return result;
}

async function workersIdle(redis) {
  const primary = await startServer(['--workers', String(WORKERS), ...redisFlags(redis)]);
  const workers = childPids(primary.pid);
  const rss = () => workers.reduce((sum, pid) => sum + rssBytes(pid), 0);
  const rssBase = rss();
  const gens = startGenerators([primary.port], IDLE_CLIENTS, Math.ceil(IDLE_CLIENTS / PER_GENERATOR), 300_000);
  const results = await ready(gens);
  await sleep(2_000);
  const rssEnd = rss();
  const held = results.reduce((s, r) => s + r.connected, 0);
  await stopGenerators(gens);
  await stop(primary);
  return {
    clients: IDLE_CLIENTS,
    workers: WORKERS,
    // Counted by the generators (joined and welcomed); a worker at its fd ceiling cannot answer /metrics.
    held,
    failed: results.reduce((s, r) => s + r.failed, 0),
    heldBeyondOneProcess: held - 19_980,
    rssWorkersMiB: round(rssEnd / 2 ** 20, 1),
    rssPerClientKiB: round((rssEnd - rssBase) / Math.max(1, held) / 1024, 2),
  };
}

/** A client that joins `room` on `port` and records when each peer-left arrives. */
function member(port, room, onLeft) {
  return new Promise((resolve, reject) => {
    const id = crypto.randomUUID();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    ws.on('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'join', v: 1, room, peerId: id })));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'welcome') resolve({ id, ws });
      if (m.type === 'peer-left') onLeft(m.peerId);
    });
  });
}

async function deadProcess(redis) {
  const [survivor, doomed] = [await startServer(redisFlags(redis)), await startServer(redisFlags(redis))];
  const expected = new Set();
  let lastLeftAt = 0;
  let resolveAll;
  const allLeft = new Promise((resolve) => (resolveAll = resolve));
  const onLeft = (id) => {
    if (!expected.delete(id)) return;
    lastLeftAt = performance.now();
    if (expected.size === 0) resolveAll();
  };
  const watchers = [];
  for (let r = 0; r < DEAD_ROOMS; r++) {
    watchers.push(await member(survivor.port, `dead-${r}`, onLeft));
    for (let i = 0; i < DEAD_PER_ROOM; i++) expected.add((await member(doomed.port, `dead-${r}`, () => undefined)).id);
  }
  const members = expected.size;
  const killedAt = performance.now();
  doomed.child.kill('SIGKILL');
  await Promise.race([allLeft, sleep(120_000)]);
  for (const w of watchers) w.ws.terminate();
  await stop(survivor);
  return {
    presenceTtlMs: Number(PRESENCE_TTL_MS ?? 15_000),
    members,
    left: members - expected.size,
    lastPeerLeftAfterMs: expected.size === 0 ? Math.round(lastLeftAt - killedAt) : null,
  };
}

async function main() {
  const redis = await startRedis();
  const result = { bench: 'signal-cluster' };
  if (PHASES.includes('relayInProcess')) result.relayInProcess = await relayInProcess();
  if (PHASES.includes('relayRedis')) result.relayRedis = await relayRedis(redis);
  if (result.relayInProcess && result.relayRedis) {
    result.crossProcessCostRatio = round(result.relayRedis.relay.serverCpuUsPerFrame / result.relayInProcess.relay.serverCpuUsPerFrame, 2);
  }
  if (PHASES.includes('workersIdle')) result.workersIdle = await workersIdle(redis);
  if (PHASES.includes('deadProcess')) result.deadProcess = await deadProcess(redis);
  result.targets = {
    crossProcessCostAtMost2x: result.crossProcessCostRatio === undefined ? null : result.crossProcessCostRatio <= 2,
    beyondOneProcess: result.workersIdle ? result.workersIdle.held > 19_980 : null,
    deadMembersLeftWithin30s: result.deadProcess ? result.deadProcess.lastPeerLeftAfterMs !== null && result.deadProcess.lastPeerLeftAfterMs <= 30_000 : null,
  };
  redis.child.kill('SIGKILL');
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

runMain(main);
