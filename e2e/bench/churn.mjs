// Churn benchmark: one tab stays in a room while another tab reloads N times (default 1,000); each
// reload is a new peer the staying tab links to and loses. Prints one JSON line: ms per cycle, the
// staying tab's live and still reachable RTCPeerConnections at the end (Chromium refuses the 501st),
// and its JS heap growth after forced garbage collection.     node bench/churn.mjs [--cycles 1000]
import { randomUUID } from 'node:crypto';
import { benchRoomUrl, intFlag, percentile, progress, round1, runBench } from './bench-session.mjs';
import { churn, tabFootprint } from '../fixtures/churn.mjs';

const argv = process.argv.slice(2);
const CYCLES = intFlag(argv, 'cycles', 1_000, 1, 20_000);

await runBench('churn', 120_000 + CYCLES * 2_000, async ({ browser, baseUrl }) => {
  const context = await browser.newContext();
  const url = benchRoomUrl(baseUrl, `churn-${randomUUID().slice(0, 8)}`);
  const stayer = await context.newPage();
  await stayer.goto(url);
  const churner = await context.newPage();
  await churner.goto(url);
  // Warm-up: code loaded and compiled, key and database open, before the baseline is taken.
  await churn(stayer, churner, 5);
  const before = await tabFootprint(stayer);
  const times = await churn(stayer, churner, CYCLES, (done) => {
    if (done % 100 === 0) progress(`${done} cycles`);
  });
  await churner.close();
  const after = await tabFootprint(stayer);
  // A newcomer still links: the tab has not run out of connections.
  const newcomer = await context.newPage();
  const started = performance.now();
  await newcomer.goto(url);
  await churn(stayer, newcomer, 1);
  const newcomerLinkMs = performance.now() - started;
  return {
    cycles: CYCLES,
    msPerCycleMean: round1(times.reduce((a, b) => a + b, 0) / times.length),
    msPerCycleP50: round1(percentile(times, 50)),
    msPerCycleP99: round1(percentile(times, 99)),
    liveConnectionsAtEnd: after.liveConnections,
    reachableConnectionsAtEnd: after.reachableConnections,
    heapGrowthMB: round1((after.heapBytes - before.heapBytes) / 1024 / 1024),
    heapBeforeMB: round1(before.heapBytes / 1024 / 1024),
    newcomerLinkMs: round1(newcomerLinkMs),
  };
});
