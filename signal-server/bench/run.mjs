// Signal server benchmark: `npm run bench:signal` (builds first). Starts the built server and load
// generator processes (bench/gen.mjs) on loopback, and prints ONE JSON line:
//  - idle: 19,990 clients joined in rooms of 8 over 2 generators; connect rate, server RSS per connection
//  - relay: 1,000 clients in rooms of 8, each sending ~1 KB signal frames to one peer in a closed loop;
//    frames/s, server CPU µs per relayed frame, p50/p99 latency, CPU of every process
//  - fixed: the same clients at a fixed offered load, for latency without queueing
// Every phase is time-bounded, and all children are killed on exit.
import {
  runMain, guardProcess, ready, relayPhase, round, rssBytes, sleep, startGenerators, startServer, stopGenerators, waitConnections,
} from './harness.mjs';

const IDLE_CLIENTS = Number(process.env.BENCH_IDLE_CLIENTS ?? 19_990);
const RELAY_CLIENTS = Number(process.env.BENCH_RELAY_CLIENTS ?? 1_000);
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 20_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 4);
const TOTAL_BOUND_MS = 8 * 60_000;
// Extra node flags for the server process only (e.g. `--cpu-prof`), for investigating a run.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PHASES = (process.env.BENCH_PHASES ?? 'idle,relay').split(',');

guardProcess(TOTAL_BOUND_MS);

async function idlePhase(server) {
  const rssBase = rssBytes(server.pid);
  // 19,990 clients need two generator processes (each tops out near 19,990 sockets). They run one after
  // the other: the RSS between them gives the marginal cost of a connection, free of one-time growth
  // (young generation, compiled code) that the average over all connections includes.
  const [first, second] = startGenerators([server.port], IDLE_CLIENTS, 2, 240_000, true);
  const [r1] = await ready([first]);
  await sleep(1_000);
  const rssMid = rssBytes(server.pid);
  second.send('go');
  const [r2] = await ready([second]);
  await sleep(2_000);
  const rssEnd = rssBytes(server.pid);
  await stopGenerators([first, second]);
  await waitConnections([server.port], 0);
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

async function main() {
  const server = await startServer([], SERVER_NODE_ARGS);
  await sleep(500);
  const idle = PHASES.includes('idle') ? await idlePhase(server) : null;
  const { relay, fixedLoad } = PHASES.includes('relay') ? await relayPhase({ pids: [server.pid], ports: [server.port] }, { clients: RELAY_CLIENTS, window: WINDOW, fixedRate: FIXED_RATE }) : { relay: null, fixedLoad: null };
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

runMain(main);
