// Signal server benchmark: `npm run bench:signal` (builds first). Starts the built server and load
// generator processes (bench/gen.mjs) on loopback, and prints ONE JSON line:
//  - idle: 19,990 clients joined in rooms of 8 over 2 generators; connect rate, server RSS per connection
//  - relay: 1,000 clients in rooms of 8, each sending ~1 KB signal frames to one peer in a closed loop;
//    frames/s, server CPU µs per relayed frame, p50/p99 latency, CPU of every process
//  - fixed: the same clients at a fixed offered load, for latency without queueing
// Every phase is time-bounded, and all children are killed on exit.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const serverJs = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const IDLE_CLIENTS = Number(process.env.BENCH_IDLE_CLIENTS ?? 19_990);
const RELAY_CLIENTS = Number(process.env.BENCH_RELAY_CLIENTS ?? 1_000);
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 20_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 4);
const WARMUP_MS = 2_000;
const MEASURE_MS = 8_000;
const TOTAL_BOUND_MS = 8 * 60_000;
// Extra node flags for the server process only (e.g. `--cpu-prof`), for investigating a run.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PHASES = (process.env.BENCH_PHASES ?? 'idle,relay').split(',');
const CLK_TCK = 100;

const children = new Set();
const killAll = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.on('exit', killAll);
// Ctrl-C or a kill: leave through 'exit' so the children go too.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
setTimeout(() => {
  process.stderr.write('bench: time bound reached, stopping\n');
  process.exit(1);
}, TOTAL_BOUND_MS).unref();

/** Spawns `node args` under bash with the soft fd limit raised (one process holds ~19,990 sockets). */
function spawnNode(args) {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const child = spawn('bash', ['-c', `ulimit -n 20000 && exec node ${quoted}`], { stdio: ['pipe', 'pipe', 'inherit'] });
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

/** [busy, total] CPU ticks of the whole machine (all cores), from /proc/stat. */
const machineTicks = () => {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).map(Number);
  const idle = v[3] + v[4];
  const total = v.reduce((a, b) => a + b, 0);
  return [total - idle, total];
};

/** [user, system] CPU ticks of a process. */
const cpuSplit = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [Number(fields[11]), Number(fields[12])]; // utime, stime
};
const cpuTicks = (pid) => cpuSplit(pid)[0] + cpuSplit(pid)[1];
const rssBytes = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function metric(port, name) {
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

async function waitConnections(port, n) {
  for (let i = 0; i < 600; i++) {
    if ((await metric(port, 'shoal_connections')) === n) return;
    await sleep(100);
  }
  throw new Error(`server did not reach ${n} connections`);
}

async function startServer() {
  const server = spawnNode([
    ...SERVER_NODE_ARGS,
    serverJs, '--port', '0', '--log-level', 'warn', '--max-conns-per-ip', '0',
    // One address opens every connection, up to the descriptor limit: the socket caps would refuse them.
    '--max-pending-per-ip', '0', '--max-connections', '0',
    // The load exceeds the default 50 frames/s per connection by design; abuse limits are not measured here.
    '--rate-limit', '1000000', '--rate-burst', '1000000',
    '--join-timeout-ms', '600000', '--heartbeat-ms', '600000',
  ]);
  const line = await server.next((l) => l.startsWith('Shoal signal server listening'), 'server start', 15_000);
  const port = Number(/:(\d+)\/$/.exec(line)[1]);
  return { ...server, port, pid: server.child.pid };
}

/** `staggered`: every generator but the first waits for a `go` line before connecting. */
function startGenerators(port, total, parts, maxMs, staggered = false) {
  const per = Math.ceil(total / parts / 8) * 8;
  const gens = [];
  for (let i = 0, left = total; i < parts; i++, left -= per) {
    const args = [`${here}gen.mjs`, String(port), String(Math.min(per, left)), String(i), String(maxMs)];
    gens.push(spawnNode(staggered && i > 0 ? [...args, 'wait'] : args));
  }
  return gens;
}

const ready = (gens) => Promise.all(gens.map((g) => g.next((l) => l.includes('"ready"'), 'generator ready', 180_000).then(JSON.parse)));

async function stopGenerators(port, gens) {
  for (const g of gens) g.send('stop');
  await Promise.all(gens.map((g) => new Promise((resolve) => (g.child.exitCode !== null ? resolve() : g.child.on('exit', resolve)))));
  await waitConnections(port, 0);
}

/** One measured load phase: CPU of every process and relayed frames over the same window. */
async function loadPhase(server, gens, kind, param) {
  const done = Promise.all(gens.map((g) => g.next((l) => l.includes('"done"'), `${kind} done`, WARMUP_MS + MEASURE_MS + 30_000).then(JSON.parse)));
  // A fixed offered load is split evenly over the generators; a closed-loop window is per client.
  const perGen = kind === 'fixed' ? param / gens.length : param;
  for (const g of gens) g.send(`${kind} ${WARMUP_MS} ${MEASURE_MS} ${perGen}`);
  await sleep(WARMUP_MS);
  const pids = [server.pid, ...gens.map((g) => g.child.pid)];
  const cpu0 = pids.map(cpuTicks);
  const split0 = cpuSplit(server.pid);
  const machine0 = machineTicks();
  const relayed0 = await metric(server.port, 'shoal_frames_relayed_total');
  const t0 = performance.now();
  await sleep(MEASURE_MS);
  const cpu1 = pids.map(cpuTicks);
  const split1 = cpuSplit(server.pid);
  const machine1 = machineTicks();
  const relayed1 = await metric(server.port, 'shoal_frames_relayed_total');
  const seconds = (performance.now() - t0) / 1000;
  const results = await done;
  const cpuPct = cpu1.map((c, i) => Math.round(((c - cpu0[i]) / CLK_TCK / seconds) * 100));
  const relayed = relayed1 - relayed0;
  const serverCpuUs = ((cpu1[0] - cpu0[0]) / CLK_TCK) * 1e6;
  // Each generator sends 1,000 quantiles of its latencies; each point stands for received/1000 samples.
  const points = results.flatMap((r) => r.quantiles.map((ms) => [ms, r.received / 1000])).sort((a, b) => a[0] - b[0]);
  const total = points.reduce((s, [, w]) => s + w, 0);
  const percentileMs = (p) => {
    let seen = 0;
    for (const [ms, w] of points) if ((seen += w) >= (p / 100) * total) return ms;
    return null;
  };
  return {
    framesPerS: Math.round(relayed / seconds),
    serverCpuUsPerFrame: round(serverCpuUs / Math.max(1, relayed), 2),
    p50Ms: percentileMs(50),
    p99Ms: percentileMs(99),
    maxMs: round(Math.max(...results.map((r) => r.max ?? 0)), 1),
    serverCpuPct: cpuPct[0],
    // Share of the server's CPU spent in the kernel (socket reads and writes, loopback TCP delivery).
    serverSysShare: round((split1[1] - split0[1]) / Math.max(1, cpu1[0] - cpu0[0]), 2),
    generatorCpuPct: cpuPct.slice(1),
    // CPU of everything else on the machine (other workloads compete for the same 2 cores), in % of one core.
    otherCpuPct: Math.round(((machine1[0] - machine0[0]) / CLK_TCK / seconds) * 100) - cpuPct.reduce((a, b) => a + b, 0),
  };
}

const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

async function idlePhase(server) {
  const rssBase = rssBytes(server.pid);
  // 19,990 clients need two generator processes (each tops out near 19,990 sockets). They run one after
  // the other: the RSS between them gives the marginal cost of a connection, free of one-time growth
  // (young generation, compiled code) that the average over all connections includes.
  const [first, second] = startGenerators(server.port, IDLE_CLIENTS, 2, 240_000, true);
  const [r1] = await ready([first]);
  await sleep(1_000);
  const rssMid = rssBytes(server.pid);
  second.send('go');
  const [r2] = await ready([second]);
  await sleep(2_000);
  const rssEnd = rssBytes(server.pid);
  await stopGenerators(server.port, [first, second]);
  const held = r1.connected + r2.connected;
  return {
    clients: IDLE_CLIENTS,
    // Counted by the generators: at its fd ceiling the server cannot accept an HTTP request for /metrics.
    held,
    failed: r1.failed + r2.failed,
    connectRatePerS: Math.round(held / ((r1.lastOkMs + r2.lastOkMs) / 1000)),
    rssBaseMiB: round(rssBase / 2 ** 20, 1),
    rssMiB: round(rssEnd / 2 ** 20, 1),
    rssPerConnKiB: round((rssEnd - rssBase) / Math.max(1, held) / 1024, 2),
    rssMarginalPerConnKiB: round((rssEnd - rssMid) / Math.max(1, r2.connected) / 1024, 2),
  };
}

async function relayPhase(server) {
  const gens = startGenerators(server.port, RELAY_CLIENTS, 2, 120_000);
  const [{ frameBytes }] = await ready(gens);
  const closed = await loadPhase(server, gens, 'closed', WINDOW);
  const fixed = await loadPhase(server, gens, 'fixed', FIXED_RATE);
  await stopGenerators(server.port, gens);
  const busy = closed.serverCpuPct + closed.generatorCpuPct.reduce((a, b) => a + b, 0) + closed.otherCpuPct;
  const saturated =
    closed.serverCpuPct >= 90 ? 'server' : closed.generatorCpuPct.some((c) => c >= 90) ? 'generator' : busy >= 180 ? 'machine (2 cores busy)' : 'none';
  return {
    relay: { clients: RELAY_CLIENTS, roomSize: 8, frameBytes, window: WINDOW, ...closed, saturated },
    fixedLoad: { offeredPerS: FIXED_RATE, ...fixed },
  };
}

async function main() {
  const server = await startServer();
  await sleep(500);
  const idle = PHASES.includes('idle') ? await idlePhase(server) : null;
  const { relay, fixedLoad } = PHASES.includes('relay') ? await relayPhase(server) : { relay: null, fixedLoad: null };
  // Graceful stop (the server exits within its shutdown grace); SIGKILL on exit covers a hang.
  const exited = new Promise((resolve) => server.child.on('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  const result = {
    bench: 'signal-server',
    idle,
    relay,
    fixedLoad,
    targets: {
      idleHeld19990: idle ? idle.held >= 19_990 : null,
      rssPerConnAtMost5KiB: idle ? idle.rssPerConnKiB <= 5 : null,
      cpuPerFrameAtMost10us: relay ? relay.serverCpuUsPerFrame <= 10 : null,
      framesPerSAtLeast60k: relay ? relay.framesPerS >= 60_000 : null,
      p99Under30ms: relay ? relay.p99Ms < 30 : null,
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
    process.exit(1);
  },
);
