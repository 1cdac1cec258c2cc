// Browser mesh benchmark (issue 14): how fast N tabs of one headless Chromium form a mesh, against the
// browser's own floor measured in the same run, then how fast a message reaches every tab. Prints one
// JSON line:
// - formation, per tab count: navigation to the last link open, for bare RTCPeerConnections through a
//   trivial relay (bare-mesh.mjs) and for Shoal, in alternating rounds; their medians and the ratio;
//   Shoal's stages (performance marks `shoal:*`, ms after navigation; median and max over tabs); the CPU
//   both spent meanwhile, by kind of process (median ms; Linux /proc): the tabs outnumber the cores, so
//   formation time follows CPU;
// - on a Shoal mesh of the first tab count, one browser context (one person) per tab: send-to-display
//   latency p50/p99 over every receiving tab (and without each tab's first message: `steady`), and
//   data-channel transmissions of chat frames per message and per delivery.
//   node bench/mesh.mjs [--tabs 8,16] [--rounds 3] [--messages 5] [--isolated] [--compare DIR]
// --messages: messages sent per tab. --isolated: one browser context per Shoal tab while meshes form, so
// tabs do not share IndexedDB (as separate people's browsers don't); by default all tabs share one
// context there. The chat phase always has one per tab. --compare: another build of the web app (a copy
// of an older web/dist, say), served by a second server; each round also forms its mesh, before or
// after this build's in turn, and `compare` reports its figures. The run-to-run spread of formation
// (10-20 %) hides most single changes; rounds interleaved in one run show them.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { formBareMesh, startBareRelay } from './bare-mesh.mjs';
import { benchRoomUrl, intFlag, percentile, progress, round1, runBench, stringFlag, within } from './bench-session.mjs';
import { installProbe } from './page-probe.mjs';
import { cpuByKind, cpuSpent } from './process-cpu.mjs';
import { startServer } from '../fixtures/server-process.mjs';

const argv = process.argv.slice(2);
const TAB_COUNTS = tabCounts(argv);
const ROUNDS = intFlag(argv, 'rounds', 3, 1, 10);
const MESSAGES_PER_TAB = intFlag(argv, 'messages', 5, 1, 100);
const ISOLATED = argv.includes('--isolated');
const COMPARE_DIR = stringFlag(argv, 'compare');
/** Bound on one message reaching every tab. */
const DELIVERY_TIMEOUT_MS = 20_000;
/** Bound on one mesh forming. */
const FORMATION_TIMEOUT_MS = 30_000;

/** @typedef {import('./page-probe.mjs').Probe} Probe */
/** @typedef {import('@playwright/test').Page} Page */
/** @typedef {import('@playwright/test').Browser} Browser */
/** @typedef {import('@playwright/test').BrowserContext} BrowserContext */
/** @typedef {{ contexts: BrowserContext[], pages: Page[], meshMs: number, cpu: ReturnType<typeof cpuSpent>, stages: Record<string, number>[] }} ShoalMesh */

/**
 * `--tabs 8,16` (or one number): the room sizes to form. More than 16 tabs is CPU-bound ICE on 2 cores
 * (RECIPES.md), not a measurement of the app.
 * @param {readonly string[]} args
 * @returns {number[]}
 */
function tabCounts(args) {
  const raw = stringFlag(args, 'tabs');
  if (raw === undefined) return [8, 16];
  const counts = raw.split(',').map(Number);
  if (counts.some((n) => !Number.isInteger(n) || n < 2 || n > 16)) throw new Error(`--tabs takes integers from 2 to 16, got ${raw}`);
  return counts;
}

/** The 1-minute load average, the figure `uptime` prints first: what the other users of the cores did. */
function load1() {
  return round1(loadavg()[0] ?? Number.NaN);
}

/**
 * Opens `tabs` Shoal tabs in a fresh room at once; resolves when each has a data channel to every other
 * one, with navigation to the last of those, and each tab's `shoal:*` marks.
 * @param {Browser} browser
 * @param {string} baseUrl
 * @param {number} tabs
 * @param {boolean} isolated One browser context per tab (each its own storage and identity), else one for all.
 * @returns {Promise<ShoalMesh>}
 */
async function formShoalMesh(browser, baseUrl, tabs, isolated) {
  /** @type {BrowserContext[]} */
  const contexts = [];
  /** @type {Page[]} */
  const pages = [];
  for (let i = 0; i < tabs; i++) {
    if (i === 0 || isolated) {
      const context = await browser.newContext();
      await context.addInitScript(installProbe, { expectedLinks: tabs - 1, watchLogLater: true });
      contexts.push(context);
    }
    pages.push(await /** @type {BrowserContext} */ (contexts.at(-1)).newPage());
  }
  const url = benchRoomUrl(baseUrl, `bench-${randomUUID().slice(0, 8)}`);
  const cpuBefore = cpuByKind(process.pid);
  const navigationStart = Date.now();
  await Promise.all(pages.map((page) => page.goto(url)));
  const linkedAt = await Promise.all(pages.map(async (page) => {
    const handle = await page.waitForFunction(
      () => /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe?.linkedAt, undefined, { timeout: FORMATION_TIMEOUT_MS, polling: 20 });
    return Number(await handle.jsonValue());
  }));
  const cpu = cpuSpent(cpuBefore, cpuByKind(process.pid));
  const stages = await Promise.all(pages.map((page) => page.evaluate(() => Object.fromEntries(
    performance.getEntriesByType('mark').filter((mark) => mark.name.startsWith('shoal:')).map((mark) => [mark.name.slice(6), mark.startTime])))));
  return { contexts, pages, meshMs: Math.max(...linkedAt) - navigationStart, cpu, stages };
}

/**
 * Per stage: the median and the slowest tab, ms after navigation, in the order stages happen.
 * @param {readonly Record<string, number>[]} perTab
 */
function summarizeStages(perTab) {
  /** @type {Map<string, number[]>} */
  const byStage = new Map();
  for (const tab of perTab) for (const [stage, at] of Object.entries(tab)) byStage.set(stage, [...(byStage.get(stage) ?? []), at]);
  const rows = [...byStage].map(([stage, times]) => ({ stage, median: Math.round(percentile(times, 50)), max: Math.round(Math.max(...times)), tabs: times.length }));
  return Object.fromEntries(rows.sort((a, b) => a.median - b.median).map(({ stage, ...row }) => [stage, row]));
}

/**
 * Per kind of process (and `total`): the median CPU ms of the rounds, from navigation to the last link.
 * @param {readonly Record<string, number>[]} rounds
 * @returns {Record<string, number>}
 */
function summarizeCpu(rounds) {
  const kinds = [...new Set(rounds.flatMap((round) => Object.keys(round)))];
  return Object.fromEntries(kinds.map((kind) => [kind, percentile(rounds.map((round) => round[kind] ?? 0), 50)]));
}

/**
 * Latencies split at each receiving tab's first message: that one runs the receive and render paths
 * for the first time in the tab (lazy compilation, the first row's layout) and swung the p99 of a run
 * from 42 to 104 ms with no change to the app; the rest is the chat's steady state.
 * @param {readonly { message: number, tab: number, ms: number }[]} samples In send order.
 */
function splitFirstPerTab(samples) {
  const seen = new Set();
  /** @type {number[]} */
  const first = [];
  /** @type {number[]} */
  const rest = [];
  for (const { tab, ms } of samples) {
    if (seen.has(tab)) rest.push(ms);
    else {
      seen.add(tab);
      first.push(ms);
    }
  }
  return { first, rest };
}

/** @param {readonly Page[]} pages */
async function sumCounters(pages) {
  const all = await Promise.all(pages.map((page) => page.evaluate(() => window.shoalTest?.counters())));
  return {
    at: Date.now(),
    framesSent: all.reduce((sum, c) => sum + (c?.framesSent ?? 0), 0),
    forwarded: all.reduce((sum, c) => sum + (c?.forwarded ?? 0), 0),
    throttled: all.reduce((sum, c) => sum + (c?.authorThrottledDropped ?? 0), 0),
    delivered: all.reduce((sum, c) => sum + (c?.delivered ?? 0), 0),
  };
}

/**
 * Sends MESSAGES_PER_TAB messages from every tab, one in flight at a time (latency without
 * self-inflicted queueing), and measures send to display in every tab.
 * @param {readonly Page[]} pages
 */
async function measureChat(pages) {
  const tabs = pages.length;
  for (const [i, page] of pages.entries()) {
    await page.getByRole('textbox', { name: 'Name' }).fill(`bench-${i + 1}`);
    await page.evaluate(() => /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe?.watchLog());
  }
  const before = await sumCounters(pages);
  // Chat transmissions = the author's copies (one per open link) + every relay's `forwarded` copies.
  // framesSent alone would also count heartbeats and history-sync polls.
  let authorCopies = 0;
  /** @type {number[]} */
  const latencies = [];
  /** Each latency with the message (in send order) and the receiving tab: where a tail comes from. */
  /** @type {{ message: number, tab: number, ms: number }[]} */
  const samples = [];
  /** Enter to the sender's own display: the local part (signing, storing, rendering) of every latency. */
  /** @type {number[]} */
  const ownLatencies = [];
  const total = tabs * MESSAGES_PER_TAB;
  for (let n = 0; n < total; n++) {
    const sender = /** @type {Page} */ (pages[n % tabs]);
    const marker = `m${n}`;
    const composer = sender.getByRole('textbox', { name: 'Message' });
    authorCopies += (await sender.evaluate(() => window.shoalTest?.linkedPeerIds().length ?? 0));
    await composer.fill(`benchmark message [[${marker}]] from tab ${n % tabs}`);
    await composer.press('Enter');
    const seenAt = await within(Promise.all(pages.map((page) => page.evaluate(async (m) => {
      const probe = /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe;
      if (!probe) throw new Error('probe missing');
      await probe.seen(m);
      return probe.seenAt[m] ?? Number.NaN;
    }, marker))), DELIVERY_TIMEOUT_MS, `delivery of ${marker}`);
    const sentAt = await sender.evaluate((m) => /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe?.sentAt[m] ?? Number.NaN, marker);
    for (const [i, at] of seenAt.entries()) {
      if (i === n % tabs) ownLatencies.push(at - sentAt);
      else {
        latencies.push(at - sentAt);
        samples.push({ message: n, tab: i, ms: round1(at - sentAt) });
      }
    }
  }
  const after = await sumCounters(pages);
  const firstPerTab = splitFirstPerTab(samples);
  const chatFrames = authorCopies + after.forwarded - before.forwarded;
  const remoteDeliveries = after.delivered - before.delivered - total;
  progress(`${total} messages delivered to ${tabs} tabs`);
  return {
    tabs,
    messages: total,
    latencyMs: {
      p50: round1(percentile(latencies, 50)),
      p99: round1(percentile(latencies, 99)),
      max: round1(Math.max(...latencies)),
      samples: latencies.length,
      // The first message each tab received against the rest: a tail of first displays is warm-up.
      firstPerTabP50: round1(percentile(firstPerTab.first, 50)),
      steady: { p50: round1(percentile(firstPerTab.rest, 50)), p99: round1(percentile(firstPerTab.rest, 99)), samples: firstPerTab.rest.length },
      slowest: [...samples].sort((a, b) => b.ms - a.ms).slice(0, 5),
    },
    ownDisplayMs: { p50: round1(percentile(ownLatencies, 50)), p99: round1(percentile(ownLatencies, 99)) },
    chatFramesPerMessage: round1(chatFrames / total),
    chatFramesPerDelivery: round1(chatFrames / remoteDeliveries),
    // What plain flooding costs: the author sends to N-1 links, every receiver forwards to N-2.
    fullFloodFramesPerMessage: (tabs - 1) ** 2,
    remoteDeliveriesPerMessage: round1(remoteDeliveries / total),
    // Live copies the receivers' per-author budgets refused (history sync brought them a second later):
    // 0 unless the senders share a key.
    authorThrottled: after.throttled - before.throttled,
    // Everything sent while the messages went round (heartbeats and sync polls included), per message.
    allFramesPerMessage: round1((after.framesSent - before.framesSent) / total),
    sendPhaseMs: after.at - before.at,
  };
}

const deadlineMs = 60_000 + TAB_COUNTS.reduce((sum, tabs) => sum + ROUNDS * tabs * (COMPARE_DIR ? 3_000 : 2_000), 0) + (TAB_COUNTS[0] ?? 0) * 2_000 + (TAB_COUNTS[0] ?? 0) * MESSAGES_PER_TAB * 2_000;
await runBench('mesh', deadlineMs, async ({ browser, baseUrl }) => {
  const loadBefore = load1();
  const relay = await startBareRelay();
  /** @type {Awaited<ReturnType<typeof startCompared>> | null} */
  let compared = null;
  try {
    if (COMPARE_DIR !== undefined) compared = await startCompared(COMPARE_DIR);
    const formation = [];
    /** @type {Awaited<ReturnType<typeof measureChat>> | null} */
    let chat = null;
    for (const [sizeIndex, tabs] of TAB_COUNTS.entries()) {
      /** @type {number[]} */
      const bareMs = [];
      /** @type {number[]} */
      const shoalMs = [];
      /** @type {Record<string, number>[]} */
      const stages = [];
      /** @type {Record<string, number>[]} */
      const bareCpu = [];
      /** @type {Record<string, number>[]} */
      const shoalCpu = [];
      /** @type {number[]} */
      const comparedMs = [];
      /** @type {Record<string, number>[]} */
      const comparedCpu = [];
      const comparedUrl = compared?.url;
      /** Forms a mesh of `tabs` from `url`'s build, closes it, and returns its time and CPU. */
      const formAndClose = async (/** @type {string} */ url) => {
        const shoal = await formShoalMesh(browser, url, tabs, ISOLATED);
        for (const context of shoal.contexts) await context.close();
        return shoal;
      };
      for (let round = 1; round <= ROUNDS; round++) {
        // Alternating, so a burst of load from the machine's other users hits both sides alike.
        const bare = await within(formBareMesh(browser, relay, tabs, randomUUID()), FORMATION_TIMEOUT_MS, `bare mesh of ${tabs}`);
        bareMs.push(Math.round(bare.ms));
        bareCpu.push(bare.cpu);
        // The compared build goes first in every other round: neither build always follows the bare mesh.
        const comparedFirst = comparedUrl !== undefined && round % 2 === 0;
        const other = comparedFirst ? await formAndClose(comparedUrl) : null;
        const shoal = await formAndClose(baseUrl);
        shoalMs.push(Math.round(shoal.meshMs));
        shoalCpu.push(shoal.cpu);
        stages.push(...shoal.stages);
        const otherAfter = comparedUrl !== undefined && !comparedFirst ? await formAndClose(comparedUrl) : other;
        if (otherAfter) {
          comparedMs.push(Math.round(otherAfter.meshMs));
          comparedCpu.push(otherAfter.cpu);
        }
        const versus = otherAfter ? `, compared build ${comparedMs.at(-1)} ms` : '';
        progress(`${tabs} tabs, round ${round}: bare ${bareMs.at(-1)} ms, Shoal ${shoalMs.at(-1)} ms${versus} (load ${load1()})`);
      }
      if (sizeIndex === 0) {
        // Chat among people, a context (so an identity) each: tabs of one context share one signing key,
        // and the senders' per-author budget (AUTHOR_MESSAGE_BUDGET, per key) would refuse part of a
        // fast benchmark conversation.
        const people = await formShoalMesh(browser, baseUrl, tabs, true);
        chat = await measureChat(people.pages);
        for (const context of people.contexts) await context.close();
      }
      const bareMedianMs = percentile(bareMs, 50);
      const shoalMedianMs = percentile(shoalMs, 50);
      const cpu = { bare: summarizeCpu(bareCpu), shoal: summarizeCpu(shoalCpu) };
      const ratio = (/** @type {number} */ a, /** @type {number} */ b) => Math.round((a / b) * 100) / 100;
      const comparedMedianMs = percentile(comparedMs, 50);
      const comparedCpuMs = summarizeCpu(comparedCpu);
      formation.push({
        tabs, bareMs, shoalMs, bareMedianMs, shoalMedianMs, ratio: ratio(shoalMedianMs, bareMedianMs),
        cpuMs: { ...cpu, ratio: ratio(cpu.shoal.total ?? 0, cpu.bare.total ?? 1) },
        stages: summarizeStages(stages),
        ...(compared && {
          // This build against the compared one, round by round in the same run: below 1 is faster.
          compare: {
            dir: compared.dir, ms: comparedMs, medianMs: comparedMedianMs, cpuMs: comparedCpuMs,
            ratio: ratio(shoalMedianMs, comparedMedianMs), cpuRatio: ratio(cpu.shoal.total ?? 0, comparedCpuMs.total ?? 1),
          },
        }),
      });
    }
    return { load1: [loadBefore, load1()], contexts: ISOLATED ? 'one per tab' : 'one', rounds: ROUNDS, formation, chat };
  } finally {
    await relay.close();
    await compared?.stop();
  }
});

/**
 * A second server for `--compare`, serving the build in `dir`.
 * @param {string} dir
 * @returns {Promise<{ dir: string, url: string, stop: () => Promise<void> }>}
 */
async function startCompared(dir) {
  const root = resolve(dir);
  if (!existsSync(join(root, 'index.html'))) throw new Error(`--compare ${dir}: no index.html there (a built web app, like web/dist)`);
  const server = await startServer({ env: { STATIC_DIR: root } });
  return { dir: root, url: server.url, stop: server.stop };
}
