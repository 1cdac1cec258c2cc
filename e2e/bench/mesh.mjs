// Browser mesh benchmark: N tabs of one headless Chromium join a fresh room at once. Prints one JSON line:
// navigation-to-full-mesh time, send-to-display latency p50/p99 over every receiving tab, and
// data-channel transmissions of chat frames per message and per delivery.
//   node bench/mesh.mjs [--tabs 8] [--messages 5] [--isolated]
// --messages: messages sent per tab. --isolated: one browser context per tab, so tabs do not share
// IndexedDB (as separate people's browsers don't); by default all tabs share one context.
import { randomUUID } from 'node:crypto';
import { benchRoomUrl, intFlag, percentile, progress, round1, runBench, within } from './bench-session.mjs';
import { installProbe } from './page-probe.mjs';

const argv = process.argv.slice(2);
// More than 16 tabs is CPU-bound ICE on 2 cores (RECIPES.md), not a measurement of the app.
const TABS = intFlag(argv, 'tabs', 8, 2, 16);
const MESSAGES_PER_TAB = intFlag(argv, 'messages', 5, 1, 100);
const ISOLATED = argv.includes('--isolated');
/** Bound on one message reaching every tab. */
const DELIVERY_TIMEOUT_MS = 20_000;

/** @typedef {import('./page-probe.mjs').Probe} Probe */
/** @typedef {import('@playwright/test').Page} Page */

/** @param {readonly Page[]} pages */
async function sumCounters(pages) {
  const all = await Promise.all(pages.map((page) => page.evaluate(() => window.shoalTest?.counters())));
  return {
    at: Date.now(),
    framesSent: all.reduce((sum, c) => sum + (c?.framesSent ?? 0), 0),
    forwarded: all.reduce((sum, c) => sum + (c?.forwarded ?? 0), 0),
    delivered: all.reduce((sum, c) => sum + (c?.delivered ?? 0), 0),
  };
}

await runBench('mesh', 60_000 + TABS * MESSAGES_PER_TAB * 2_000, async ({ browser, baseUrl }) => {
  const contexts = [];
  const pages = [];
  for (let i = 0; i < TABS; i++) {
    if (i === 0 || ISOLATED) {
      const context = await browser.newContext();
      await context.addInitScript(installProbe, { expectedLinks: TABS - 1 });
      contexts.push(context);
    }
    pages.push(await /** @type {import('@playwright/test').BrowserContext} */ (contexts.at(-1)).newPage());
  }
  const url = benchRoomUrl(baseUrl, `bench-${randomUUID().slice(0, 8)}`);

  progress(`opening ${TABS} tabs at once`);
  const navigationStart = Date.now();
  await Promise.all(pages.map((page) => page.goto(url)));
  await Promise.all(pages.map((page) => page.waitForFunction(
    () => /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe?.linkedAt != null,
    undefined, { timeout: 30_000, polling: 50 })));
  const linkedAt = await Promise.all(pages.map((page) => page.evaluate(
    () => /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe?.linkedAt ?? Number.NaN)));
  const meshMs = Math.max(...linkedAt) - navigationStart;
  progress(`full mesh after ${Math.round(meshMs)} ms`);

  for (const [i, page] of pages.entries()) await page.getByRole('textbox', { name: 'Name' }).fill(`bench-${i + 1}`);
  const before = await sumCounters(pages);
  // Chat transmissions = the author's copies (one per open link) + every relay's `forwarded` copies.
  // framesSent alone would also count heartbeats and history-sync polls.
  let authorCopies = 0;

  // One message in flight at a time, round-robin over the tabs: latency without self-inflicted queueing.
  /** @type {number[]} */
  const latencies = [];
  /** Enter to the sender's own display: the local part (signing, storing, rendering) of every latency. */
  /** @type {number[]} */
  const ownLatencies = [];
  const total = TABS * MESSAGES_PER_TAB;
  for (let n = 0; n < total; n++) {
    const sender = /** @type {Page} */ (pages[n % TABS]);
    const marker = `m${n}`;
    const composer = sender.getByRole('textbox', { name: 'Message' });
    authorCopies += (await sender.evaluate(() => window.shoalTest?.linkedPeerIds().length ?? 0));
    await composer.fill(`benchmark message [[${marker}]] from tab ${n % TABS}`);
    await composer.press('Enter');
    const seenAt = await within(Promise.all(pages.map((page) => page.evaluate(async (m) => {
      const probe = /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe;
      if (!probe) throw new Error('probe missing');
      await probe.seen(m);
      return probe.seenAt[m] ?? Number.NaN;
    }, marker))), DELIVERY_TIMEOUT_MS, `delivery of ${marker}`);
    const sentAt = await sender.evaluate((m) => /** @type {Window & { __shoalProbe?: Probe }} */ (window).__shoalProbe?.sentAt[m] ?? Number.NaN, marker);
    for (const [i, at] of seenAt.entries()) (i === n % TABS ? ownLatencies : latencies).push(at - sentAt);
  }
  const after = await sumCounters(pages);
  const chatFrames = authorCopies + after.forwarded - before.forwarded;
  const remoteDeliveries = after.delivered - before.delivered - total;
  progress(`${total} messages delivered to ${TABS} tabs`);
  for (const context of contexts) await context.close();

  return {
    tabs: TABS,
    contexts: contexts.length,
    meshMs: Math.round(meshMs),
    messages: total,
    latencyMs: {
      p50: round1(percentile(latencies, 50)),
      p99: round1(percentile(latencies, 99)),
      max: round1(Math.max(...latencies)),
      samples: latencies.length,
    },
    ownDisplayMs: { p50: round1(percentile(ownLatencies, 50)), p99: round1(percentile(ownLatencies, 99)) },
    chatFramesPerMessage: round1(chatFrames / total),
    chatFramesPerDelivery: round1(chatFrames / remoteDeliveries),
    // What plain flooding costs: the author sends to N-1 links, every receiver forwards to N-2.
    fullFloodFramesPerMessage: (TABS - 1) ** 2,
    remoteDeliveriesPerMessage: round1(remoteDeliveries / total),
    // Everything sent while the messages went round (heartbeats and sync polls included), per message.
    allFramesPerMessage: round1((after.framesSent - before.framesSent) / total),
    sendPhaseMs: after.at - before.at,
  };
});
