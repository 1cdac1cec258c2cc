// Browser history benchmark: one tab sends M messages (default 10,000) through the app, then
//  1. reloads: time from navigation start until the newest message is in the DOM (room shown);
//  2. a late joiner with empty storage (a new browser context) opens the room: time until it holds all
//     M messages, from its navigation start and from its first link.
// Prints one JSON line.   node bench/history.mjs [--messages 10000]
import { randomUUID } from 'node:crypto';
import { benchRoomUrl, intFlag, progress, runBench } from './bench-session.mjs';
import { installProbe } from './page-probe.mjs';

const argv = process.argv.slice(2);
const MESSAGES = intFlag(argv, 'messages', 10_000, 1, 50_000);
/** Sends in flight before the sender waits for its own deliveries to catch up. */
const SEND_WINDOW = 200;

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
  return page.evaluate(async (m) => {
    const probe = /** @type {ProbedWindow} */ (window).__shoalProbe;
    if (!probe) throw new Error('probe missing');
    await probe.seen(m);
    return (probe.seenAt[m] ?? Number.NaN) - probe.timeOrigin;
  }, marker);
}

/** @param {Page} page */
function delivered(page) {
  return page.evaluate(() => window.shoalTest?.counters().delivered ?? 0);
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
  const composer = sender.getByRole('textbox', { name: 'Message' });
  const base = await delivered(sender);
  for (let n = 0; n < MESSAGES; n++) {
    await composer.fill(`history message [[h${n}]] ${'x'.repeat(40)}`);
    await composer.press('Enter');
    if ((n + 1) % SEND_WINDOW === 0 || n === MESSAGES - 1) {
      await sender.waitForFunction((target) => (window.shoalTest?.counters().delivered ?? 0) >= target, base + n + 1, { timeout: 60_000, polling: 20 });
      if ((n + 1) % 2_000 === 0) progress(`${n + 1} sent`);
    }
  }
  const populateMs = Date.now() - populateStart;
  await shownAfterNavigation(sender, lastMarker);

  progress('reloading the sender');
  await sender.reload();
  const reloadShownMs = await shownAfterNavigation(sender, lastMarker);
  progress(`room shown ${Math.round(reloadShownMs)} ms after navigation start`);

  progress('opening a late joiner with empty storage');
  const lateContext = await browser.newContext();
  await lateContext.addInitScript(installProbe, { expectedLinks: 1, syncTarget: MESSAGES });
  const late = await lateContext.newPage();
  await late.goto(url);
  const lateLinkedMs = await probeTime(late, 'linkedAt', 30_000);
  const lateSyncedMs = await probeTime(late, 'syncedAt', 120_000);
  const lateShownMs = await shownAfterNavigation(late, lastMarker);
  const counters = await late.evaluate(() => window.shoalTest?.counters());
  await lateContext.close();
  await owner.close();

  return {
    messages: MESSAGES,
    populateMs,
    reloadRoomShownMs: Math.round(reloadShownMs),
    lateJoiner: {
      linkedMs: Math.round(lateLinkedMs),
      syncedMs: Math.round(lateSyncedMs),
      syncAfterLinkMs: Math.round(lateSyncedMs - lateLinkedMs),
      newestShownMs: Math.round(lateShownMs),
      historyMessagesReceived: counters?.historyMessagesReceived ?? null,
      framesReceived: counters?.framesReceived ?? null,
      bytesReceived: counters?.bytesReceived ?? null,
    },
  };
});
