// Keeper benchmark: a room of M messages (default 100,000) held only by a shoal-peer keeper that also
// keeps R-1 other rooms of M (default R = 10), then one fresh tab joins. Measures, as one JSON line:
//  - the seeder's figures (peer/bench/seed-keeper.ts): sign rate, keeper ingest (verify + store) and
//    store-only rates, signed bytes vs disk;
//  - the keeper's RSS with all rooms open (idle) and its peak while serving the tab;
//  - when the tab shows the newest message and all 50 newest, and when it holds all M.
//   node e2e/bench/keeper.mjs [--messages 100000] [--rooms 10]
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchRoomUrl, intFlag, progress, runBench, within } from './bench-session.mjs';
import { installProbe } from './page-probe.mjs';

const argv = process.argv.slice(2);
const MESSAGES = intFlag(argv, 'messages', 100_000, 50, 1_000_000);
const ROOMS = intFlag(argv, 'rooms', 10, 1, 64);
/** Newest messages that must be on screen for the room to count as shown. */
const NEWEST = 50;
/** @typedef {Window & { __shoalProbe?: import('./page-probe.mjs').Probe }} ProbedWindow */
const PEER = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'peer');

/** @param {number} pid */
function rssBytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}
/** CPU seconds (user + system) a process has used so far. @param {number} pid */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
/** @param {number} bytes */
const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

await runBench('keeper', 30 * 60_000, async ({ browser, baseUrl }) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-keeper-bench-'));
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let keeper;
  try {
    const room = `keeper-${randomUUID().slice(0, 8)}`;
    progress(`seeding ${ROOMS} room(s) of ${MESSAGES} messages`);
    spawnSync(process.execPath, [join(PEER, 'build.mjs'), '--bench'], { stdio: 'inherit' });
    const seed = spawnSync(process.execPath, [join(PEER, 'dist', 'seed-keeper.mjs'), '--dir', dir, '--room', room, '--messages', String(MESSAGES), '--rooms', String(ROOMS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (seed.status !== 0) throw new Error(`seeding failed: ${seed.stderr}`);
    const seeded = JSON.parse(seed.stdout.trim());
    progress(`seeded: ${seed.stdout.trim()}`);

    const links = [room, ...Array.from({ length: ROOMS - 1 }, (_, i) => `${room}-${i + 2}`)].map((name) => `${baseUrl}/#${name}`);
    const keeperStarted = Date.now();
    keeper = spawn(process.execPath, [join(PEER, 'bin', 'shoal-peer.mjs'), '--json', '--keep', dir, '--name', 'keeper', ...links], { stdio: ['pipe', 'pipe', 'inherit'] });
    const child = keeper;
    let ready = 0;
    /** @type {() => void} */
    let allReady = () => undefined;
    const readyPromise = new Promise((done) => { allReady = () => done(undefined); });
    createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) }).on('line', (line) => {
      if (line.includes('"type":"ready"') && ++ready === ROOMS) allReady();
    });
    await within(readyPromise, 60_000, 'the keeper joining its rooms');
    const keeperReadyMs = Date.now() - keeperStarted;
    const pid = /** @type {number} */ (child.pid);
    const idleRss = rssBytes(pid);
    progress(`keeper ready in ${keeperReadyMs} ms, RSS ${mib(idleRss)} MiB`);

    let peakRss = idleRss;
    const cpuBeforeTab = cpuSeconds(pid);
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssBytes(pid)); }, 100);
    const context = await browser.newContext();
    try {
      await context.addInitScript(installProbe, { expectedLinks: 1, syncTarget: MESSAGES });
      const page = await context.newPage();
      await page.goto(benchRoomUrl(baseUrl, room));
      /** @param {string} field @param {number} timeout */
      const probeTime = async (field, timeout) => {
        await page.waitForFunction((f) => /** @type {ProbedWindow} */ (window).__shoalProbe?.[/** @type {'linkedAt' | 'syncedAt'} */ (f)] != null, field, { timeout, polling: 50 });
        return page.evaluate((f) => {
          const probe = /** @type {ProbedWindow} */ (window).__shoalProbe;
          return (probe?.[/** @type {'linkedAt' | 'syncedAt'} */ (f)] ?? NaN) - (probe?.timeOrigin ?? NaN);
        }, field);
      };
      const linkedMs = await probeTime('linkedAt', 30_000);
      const newestMarkers = Array.from({ length: Math.min(NEWEST, MESSAGES) }, (_, i) => `k${MESSAGES - i}`);
      /** Time until every marker given was in the DOM, from navigation start; null when not within the wait. */
      const shownMs = (/** @type {string[]} */ markers, /** @type {number} */ timeout) => within(page.evaluate(async (list) => {
        const probe = /** @type {ProbedWindow} */ (window).__shoalProbe;
        if (!probe) throw new Error('probe missing');
        await Promise.all(list.map((m) => probe.seen(m)));
        return Math.max(...list.map((m) => probe.seenAt[m] ?? NaN)) - probe.timeOrigin;
      }, markers), timeout, 'newest messages shown').catch(() => null);
      const newestShownMs = await shownMs(newestMarkers.slice(0, 1), 120_000);
      const newest50ShownMs = await shownMs(newestMarkers, 30_000);
      const allMs = await probeTime('syncedAt', 180_000).catch(() => null);
      const counters = await page.evaluate(() => window.shoalTest?.counters());
      clearInterval(sampler);
      const keeperCpuServingS = Math.round((cpuSeconds(pid) - cpuBeforeTab) * 10) / 10;
      const stopAt = Date.now();
      child.kill('SIGTERM');
      const code = await within(new Promise((done) => child.once('exit', (c, s) => done(c ?? s))), 30_000, 'the keeper stopping');
      return {
        messages: MESSAGES,
        rooms: ROOMS,
        ...seeded,
        keeperReadyMs,
        keeperRssIdleMiB: mib(idleRss),
        keeperRssPeakServingMiB: mib(peakRss),
        tabLinkedMs: Math.round(linkedMs),
        newestShownMs: newestShownMs === null ? null : Math.round(newestShownMs),
        newest50ShownMs: newest50ShownMs === null ? null : Math.round(newest50ShownMs),
        allSyncedMs: allMs === null ? null : Math.round(allMs),
        delivered: counters?.delivered ?? null,
        keeperCpuServingS,
        keeperStopMs: Date.now() - stopAt,
        keeperExit: code,
        loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      };
    } finally {
      clearInterval(sampler);
      await context.close();
    }
  } finally {
    if (keeper && keeper.exitCode === null && keeper.signalCode === null) keeper.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
