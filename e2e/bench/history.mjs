// Browser history benchmark: one tab sends M messages (default 10,000) through the app, then
//  1. a late joiner with empty storage (a new browser context) opens the room: time until it holds all
//     M messages, from its navigation start and from its first link;
//  2. the sender reloads: time from navigation start until the newest message is in the DOM (room shown).
// Prints one JSON line.   node bench/history.mjs [--messages 10000]
import { randomUUID } from 'node:crypto';
import { benchRoomUrl, intFlag, progress, runBench, within } from './bench-session.mjs';
import { sendBurst } from '../fixtures/composer-burst.mjs';
import { installProbe } from './page-probe.mjs';

const argv = process.argv.slice(2);
const MESSAGES = intFlag(argv, 'messages', 10_000, 1, 50_000);
/** Sends in flight before the sender waits for its own deliveries to catch up. */
const SEND_WINDOW = 200;
/** How long the late joiner may take to hold every message before the result reports a stall. */
const SYNC_TIMEOUT_MS = 60_000;

/** @typedef {import('./page-probe.mjs').Probe} Probe */
/** @typedef {import('@playwright/test').Page} Page */
/** @typedef {Window & { __shoalProbe?: Probe }} ProbedWindow */

/**
 * Resolves once the probe of `page` has a non-null `field`, and returns it relative to navigation start.
 * @param {Page} page
 * @param {'linkedAt' | 'syncedAt'} field
 * @param {number} timeout
 */
async function probeTime(page, field, timeout) {
  await page.waitForFunction((f) => /** @type {ProbedWindow} */ (window).__shoalProbe?.[f] != null, field, { timeout, polling: 50 });
  return page.evaluate((f) => {
    const probe = /** @type {ProbedWindow} */ (window).__shoalProbe;
    return (probe?.[f] ?? Number.NaN) - (probe?.timeOrigin ?? Number.NaN);
  }, field);
}

/**
 * Time from navigation start until the log item carrying `marker` entered the DOM.
 * @param {Page} page
 * @param {string} marker
 */
function shownAfterNavigation(page, marker) {
  return within(page.evaluate(async (m) => {
    const probe = /** @type {ProbedWindow} */ (window).__shoalProbe;
    if (!probe) throw new Error('probe missing');
    await probe.seen(m);
    return (probe.seenAt[m] ?? Number.NaN) - probe.timeOrigin;
  }, marker), 120_000, `showing ${marker}`);
}

/** @param {Page} page */
function delivered(page) {
  return page.evaluate(() => window.shoalTest?.counters().delivered ?? 0);
}

/** @param {number} n */
const messageText = (n) => `history message [[h${n}]] ${'x'.repeat(40)}`;

/**
 * Waits until the tab has delivered `target` messages in total (its own sends count once stored).
 * @param {Page} page
 * @param {number} target
 * @param {number} timeout
 */
function deliveredReaches(page, target, timeout) {
  return page.waitForFunction((t) => (window.shoalTest?.counters().delivered ?? 0) >= t, target, { timeout, polling: 20 });
}

/**
 * Sends messages `from`..`from + count - 1` through the composer.
 * @param {Page} page
 * @param {number} from
 * @param {number} count
 */
function sendInPage(page, from, count) {
  return sendBurst(page, Array.from({ length: count }, (_, i) => messageText(from + i)));
}

/**
 * Fills the room with `total` messages sent through the app, in windows of SEND_WINDOW so that the app
 * keeps up. Uses synthetic events when the app accepts them, else real key presses.
 * @param {Page} sender
 * @param {number} total
 * @returns {Promise<'synthetic' | 'keyboard'>}
 */
async function populate(sender, total) {
  const base = await delivered(sender);
  const probeSize = Math.min(total, 20);
  await sendInPage(sender, 0, probeSize);
  const synthetic = await deliveredReaches(sender, base + probeSize, 10_000).then(() => true, () => false);
  if (!synthetic && (await delivered(sender)) !== base) throw new Error('synthetic sends were only partly accepted');
  const composer = sender.getByRole('textbox', { name: 'Message' });
  for (let n = synthetic ? probeSize : 0; n < total; n += SEND_WINDOW) {
    const count = Math.min(SEND_WINDOW, total - n);
    if (synthetic) {
      await sendInPage(sender, n, count);
    } else {
      for (let i = n; i < n + count; i++) {
        await composer.fill(messageText(i));
        await composer.press('Enter');
      }
    }
    await deliveredReaches(sender, base + n + count, 60_000);
    if (Math.floor((n + count) / 2_000) > Math.floor(n / 2_000)) progress(`${n + count} sent`);
  }
  return synthetic ? 'synthetic' : 'keyboard';
}

/**
 * Opens the room in a new browser context (empty storage) and measures its history sync: first link
 * and all MESSAGES delivered, from navigation start; `syncedMs` is null when the sync stalled.
 * @param {import('@playwright/test').Browser} browser
 * @param {string} url
 * @param {string} lastMarker
 */
async function lateJoin(browser, url, lastMarker) {
  progress('opening a late joiner with empty storage');
  const context = await browser.newContext();
  try {
    await context.addInitScript(installProbe, { expectedLinks: 1, syncTarget: MESSAGES });
    const page = await context.newPage();
    await page.goto(url);
    const linkedMs = await probeTime(page, 'linkedAt', 30_000);
    // A sync that stalls is a result to report (with how far it got), not a reason to print nothing.
    const syncedMs = await probeTime(page, 'syncedAt', SYNC_TIMEOUT_MS).catch(() => null);
    const newestShownMs = await shownAfterNavigation(page, lastMarker).catch(() => null);
    const counters = await page.evaluate(() => window.shoalTest?.counters());
    progress(`late joiner synced: ${syncedMs === null ? 'no' : `${Math.round(syncedMs)} ms after navigation start`}`);
    return {
      linkedMs: Math.round(linkedMs),
      syncedMs: syncedMs === null ? null : Math.round(syncedMs),
      syncAfterLinkMs: syncedMs === null ? null : Math.round(syncedMs - linkedMs),
      newestShownMs: newestShownMs === null ? null : Math.round(newestShownMs),
      delivered: counters?.delivered ?? null,
      historyMessagesReceived: counters?.historyMessagesReceived ?? null,
      duplicatesDropped: counters?.duplicatesDropped ?? null,
      framesReceived: counters?.framesReceived ?? null,
      bytesReceived: counters?.bytesReceived ?? null,
    };
  } finally {
    await context.close();
  }
}

await runBench('history', 15 * 60_000, async ({ browser, baseUrl }) => {
  const url = benchRoomUrl(baseUrl, `history-${randomUUID().slice(0, 8)}`);
  const lastMarker = `h${MESSAGES - 1}`;

  const owner = await browser.newContext();
  await owner.addInitScript(installProbe, { expectedLinks: 1 });
  const sender = await owner.newPage();
  await sender.goto(url);
  await sender.waitForFunction(() => window.shoalTest !== undefined);
  await sender.getByRole('textbox', { name: 'Name' }).fill('history-owner');

  progress(`sending ${MESSAGES} messages through the composer`);
  const populateStart = Date.now();
  const populateVia = await populate(sender, MESSAGES);
  progress(`sent through ${populateVia} events`);
  const populateMs = Date.now() - populateStart;
  await shownAfterNavigation(sender, lastMarker);

  // Late joiners come first, while the sender's store may still be committing the burst (it answers
  // sync requests from committed and queued messages alike); the reload comes last. The first joiner
  // meets that backlog; the second measures the sync alone. (Reload right after a burst is covered by
  // e2e/tests/burst-reload.spec.ts.)
  const firstJoiner = await lateJoin(browser, url, lastMarker);
  const secondJoiner = await lateJoin(browser, url, lastMarker);

  progress('reloading the sender');
  await sender.reload();
  const reloadShownMs = await shownAfterNavigation(sender, lastMarker);
  progress(`room shown ${Math.round(reloadShownMs)} ms after navigation start`);
  await owner.close();

  return {
    messages: MESSAGES,
    populateMs,
    populateVia,
    reloadRoomShownMs: Math.round(reloadShownMs),
    firstJoiner,
    secondJoiner,
  };
});
