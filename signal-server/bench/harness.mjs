// Shared parts of the signal server benchmarks (run.mjs, cluster.mjs): child processes that die with
// the bench, CPU and RSS from /proc, /metrics scrapes, load generators (gen.mjs) and one measured
// relay phase. Every wait is bounded.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
export const serverJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const WARMUP_MS = 2_000;
export const MEASURE_MS = 8_000;
const CLK_TCK = 100;

/** Server flags every benchmark passes: no per-address or abuse limits (one address makes all the load). */
export const LOAD_FLAGS = [
  '--log-level', 'warn', '--max-conns-per-ip', '0',
  // One address opens every connection, up to the descriptor limit: the socket caps would refuse them.
  '--max-pending-per-ip', '0', '--max-connections', '0',
  // The load exceeds the default 50 frames/s per connection by design; abuse limits are not measured here.
  '--rate-limit', '1000000', '--rate-burst', '1000000',
  '--join-timeout-ms', '600000', '--heartbeat-ms', '600000',
];

const children = new Set();
/** Kills every child on exit, and exits after `boundMs` whatever happens. */
export function guardProcess(boundMs) {
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  // Ctrl-C or a kill: leave through 'exit' so the children go too.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  setTimeout(() => {
    process.stderr.write('bench: time bound reached, stopping\n');
    process.exit(1);
  }, boundMs).unref();
}

/** Spawns `command args` under bash with the soft fd limit raised (one process holds ~19,990 sockets). */
export function spawnTracked(command, args) {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const child = spawn('bash', ['-c', `ulimit -n 20000 && exec ${command} ${quoted}`], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const lines = createInterface({ input: child.stdout });
  const waiters = [];
  lines.on('line', (line) => {
    const w = waiters.findIndex((x) => x.test(line));
    if (w >= 0) waiters.splice(w, 1)[0].resolve(line);
  });
  const next = (test, what, ms = 120_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      waiters.push({ test, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  return { child, next, send: (line) => child.stdin.write(`${line}\n`) };
}
export const spawnNode = (args) => spawnTracked('node', args);

/** [busy, total] CPU ticks of the whole machine (all cores), from /proc/stat. */
export const machineTicks = () => {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).map(Number);
  const idle = v[3] + v[4];
  const total = v.reduce((a, b) => a + b, 0);
  return [total - idle, total];
};

/** [user, system] CPU ticks of a process. */
export const cpuSplit = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [Number(fields[11]), Number(fields[12])]; // utime, stime
};
const sumSplit = (pids) => pids.map(cpuSplit).reduce((a, b) => [a[0] + b[0], a[1] + b[1]], [0, 0]);
export const cpuTicks = (pid) => cpuSplit(pid)[0] + cpuSplit(pid)[1];
export const rssBytes = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
/** Direct children of a process (the workers of a cluster primary). */
export const childPids = (pid) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

export async function metric(port, name) {
  // A few tries: on a starved machine one scrape can time out without anything being wrong.
  for (let attempt = 1; ; attempt++) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}
const metricSum = async (ports, name) => (await Promise.all(ports.map((p) => metric(p, name)))).reduce((a, b) => a + b, 0);

export async function waitConnections(ports, n) {
  for (let i = 0; i < 600; i++) {
    if ((await metricSum(ports, 'shoal_connections')) === n) return;
    await sleep(100);
  }
  throw new Error(`servers did not reach ${n} connections`);
}

/** Starts the built server with LOAD_FLAGS and `extra`; resolves with its port once it listens. */
export async function startServer(extra = [], nodeArgs = []) {
  const server = spawnNode([...nodeArgs, serverJs, '--port', '0', ...LOAD_FLAGS, ...extra]);
  const line = await server.next((l) => l.startsWith('Shoal signal server listening'), 'server start', 15_000);
  const port = Number(/:(\d+)\/$/.exec(line)[1]);
  return { ...server, port, pid: server.child.pid };
}

/**
 * `ports`: the servers the clients of a room are spread over, in turn (one port = all on one server).
 * `staggered`: every generator but the first waits for a `go` line before connecting.
 */
export function startGenerators(ports, total, parts, maxMs, staggered = false) {
  const per = Math.ceil(total / parts / 8) * 8;
  const gens = [];
  for (let i = 0, left = total; i < parts; i++, left -= per) {
    const args = [`${here}gen.mjs`, ports.join(','), String(Math.min(per, left)), String(i), String(maxMs)];
    gens.push(spawnNode(staggered && i > 0 ? [...args, 'wait'] : args));
  }
  return gens;
}

export const ready = (gens) => Promise.all(gens.map((g) => g.next((l) => l.includes('"ready"'), 'generator ready', 180_000).then(JSON.parse)));

export async function stopGenerators(gens) {
  for (const g of gens) g.send('stop');
  await Promise.all(gens.map((g) => new Promise((resolve) => (g.child.exitCode !== null ? resolve() : g.child.on('exit', resolve)))));
}

/**
 * One measured load phase: CPU of every process and relayed frames over the same window.
 * `target`: { pids: the server side (server processes, and Redis when it carries the relay), ports }.
 */
export async function loadPhase(target, gens, kind, param) {
  const done = Promise.all(gens.map((g) => g.next((l) => l.includes('"done"'), `${kind} done`, WARMUP_MS + MEASURE_MS + 30_000).then(JSON.parse)));
  // A fixed offered load is split evenly over the generators; a closed-loop window is per client.
  const perGen = kind === 'fixed' ? param / gens.length : param;
  for (const g of gens) g.send(`${kind} ${WARMUP_MS} ${MEASURE_MS} ${perGen}`);
  await sleep(WARMUP_MS);
  const genPids = gens.map((g) => g.child.pid);
  const server0 = sumSplit(target.pids);
  const each0 = target.pids.map(cpuTicks);
  const gen0 = genPids.map(cpuTicks);
  const machine0 = machineTicks();
  const relayed0 = await metricSum(target.ports, 'shoal_frames_relayed_total');
  const t0 = performance.now();
  await sleep(MEASURE_MS);
  const server1 = sumSplit(target.pids);
  const each1 = target.pids.map(cpuTicks);
  const gen1 = genPids.map(cpuTicks);
  const machine1 = machineTicks();
  const relayed1 = await metricSum(target.ports, 'shoal_frames_relayed_total');
  const seconds = (performance.now() - t0) / 1000;
  const results = await done;
  const pct = (ticks) => Math.round((ticks / CLK_TCK / seconds) * 100);
  const serverTicks = server1[0] + server1[1] - server0[0] - server0[1];
  const relayed = relayed1 - relayed0;
  // Each generator sends 1,000 quantiles of its latencies; each point stands for received/1000 samples.
  const points = results.flatMap((r) => r.quantiles.map((ms) => [ms, r.received / 1000])).sort((a, b) => a[0] - b[0]);
  const total = points.reduce((s, [, w]) => s + w, 0);
  const percentileMs = (p) => {
    let seen = 0;
    for (const [ms, w] of points) if ((seen += w) >= (p / 100) * total) return ms;
    return null;
  };
  const generatorCpuPct = gen1.map((c, i) => pct(c - gen0[i]));
  return {
    framesPerS: Math.round(relayed / seconds),
    serverCpuUsPerFrame: round(((serverTicks / CLK_TCK) * 1e6) / Math.max(1, relayed), 2),
    p50Ms: percentileMs(50),
    p99Ms: percentileMs(99),
    maxMs: round(Math.max(...results.map((r) => r.max ?? 0)), 1),
    serverCpuPct: pct(serverTicks),
    // Per server-side process, in target.pids order (e.g. two servers, then Redis).
    ...(target.pids.length > 1 ? { serverCpuPctEach: each1.map((c, i) => pct(c - each0[i])) } : {}),
    // Share of the server's CPU spent in the kernel (socket reads and writes, loopback TCP delivery).
    serverSysShare: round((server1[1] - server0[1]) / Math.max(1, serverTicks), 2),
    generatorCpuPct,
    // CPU of everything else on the machine (other workloads compete for the same 2 cores), in % of one core.
    otherCpuPct: pct(machine1[0] - machine0[0]) - pct(serverTicks) - generatorCpuPct.reduce((a, b) => a + b, 0),
  };
}

/** Closed-loop and fixed-load relay phases with `clients` in rooms of 8 over two generators. */
export async function relayPhase(target, { clients, window, fixedRate }) {
  const gens = startGenerators(target.ports, clients, 2, 120_000);
  const [{ frameBytes }] = await ready(gens);
  const closed = await loadPhase(target, gens, 'closed', window);
  const fixed = await loadPhase(target, gens, 'fixed', fixedRate);
  await stopGenerators(gens);
  await waitConnections(target.ports, 0);
  const busy = closed.serverCpuPct + closed.generatorCpuPct.reduce((a, b) => a + b, 0) + closed.otherCpuPct;
  const saturated =
    closed.serverCpuPct >= 90 * Math.min(target.pids.length, 2) ? 'server' : closed.generatorCpuPct.some((c) => c >= 90) ? 'generator' : busy >= 180 ? 'machine (2 cores busy)' : 'none';
  return {
    relay: { clients, roomSize: 8, frameBytes, window, ...closed, saturated },
    fixedLoad: { offeredPerS: fixedRate, ...fixed },
  };
}

/** Runs the bench's `main` and exits 0, or prints the failure and exits 1 (children die on exit). */
export function runMain(main) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
