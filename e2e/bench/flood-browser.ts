// Browser flood benchmark (issue 8, attack 4): two honest tabs chat while a hostile member sends
// validly signed ~12 KB text events at 100/s for 10 s. Prints one JSON line: honest send-to-display
// p50/p99 idle and under the flood, the victims' longest main-thread task (PerformanceObserver
// 'longtask') idle and under the flood, storage growth per victim, and what the budgets did.
//   npm run bench:flood-browser [-- --rate 100 --seconds 10]
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { SERVER_URL_ENV } from '../global-setup';
import { openHostileTab } from '../fixtures/hostile-tab';
import { benchRoomUrl, intFlag, percentile, progress, round1, runBench, within } from './bench-session.mjs';
import { installProbe } from './page-probe.mjs';

const argv = process.argv.slice(2);
const RATE = intFlag(argv, 'rate', 100, 1, 1000);
const SECONDS = intFlag(argv, 'seconds', 10, 1, 120);
const MESSAGES = 20;

type Probe = { sentAt: Record<string, number>; seenAt: Record<string, number>; seen(marker: string): Promise<void> };
type Watched = Window & { __shoalProbe?: Probe; __longest?: number };

/** Records the longest main-thread task since the last reset (reset by the benchmark between phases). */
function watchLongTasks(): void {
  const w = window as Watched;
  w.__longest = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest ?? 0, entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function exchange(pages: Page[], label: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = 0; n < MESSAGES; n++) {
    const sender = pages[n % 2] as Page;
    const receiver = pages[(n + 1) % 2] as Page;
    const marker = `${label}${n}`;
    const composer = sender.getByRole('textbox', { name: 'Message' });
    await composer.fill(`honest [[${marker}]]`);
    await composer.press('Enter');
    const seenAt = await within(receiver.evaluate(async (m) => {
      const probe = (window as Watched).__shoalProbe;
      if (!probe) throw new Error('probe missing');
      await probe.seen(m);
      return probe.seenAt[m] ?? Number.NaN;
    }, marker), 60_000, `delivery of ${marker}`);
    const sentAt = await sender.evaluate((m) => (window as Watched).__shoalProbe?.sentAt[m] ?? Number.NaN, marker);
    latencies.push(seenAt - sentAt);
    // Honest people type: 2 messages a second keeps the honest author under its own budget (3/s).
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return latencies;
}

const longest = (pages: Page[]) => Promise.all(pages.map((page) => page.evaluate(() => {
  const w = window as Watched;
  const value = w.__longest ?? 0;
  w.__longest = 0;
  return value;
})));
const usage = (pages: Page[]) => Promise.all(pages.map((page) => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0)));

await runBench('flood-browser', 180_000 + SECONDS * 1_000, async ({ browser, baseUrl }) => {
  process.env[SERVER_URL_ENV] = baseUrl;
  const context = await browser.newContext();
  await context.addInitScript(installProbe, { expectedLinks: 1 });
  await context.addInitScript(watchLongTasks);
  const room = `flood-${randomUUID().slice(0, 8)}`;
  const pages = [await context.newPage(), await context.newPage()];
  const frames: string[] = [];
  (pages[0] as Page).on('websocket', (socket) => socket.on('framesent', (frame) => frames.push(String(frame.payload))));
  for (const page of pages) await page.goto(benchRoomUrl(baseUrl, room));
  for (const page of pages) await page.waitForFunction(() => (window as Watched).__shoalProbe && window.shoalTest?.linkedPeerIds().length === 1, undefined, { timeout: 30_000 });
  await longest(pages);
  progress('idle exchange');
  const idle = await exchange(pages, 'i');
  const idleStall = Math.max(...(await longest(pages)));
  const usageBefore = await usage(pages);
  const join = frames.map((f) => JSON.parse(f) as { type: string; room?: string; v?: number }).find((f) => f.type === 'join');
  if (!join?.room || join.v === undefined) throw new Error('no join frame recorded');
  const hostileContext = await browser.newContext();
  const hostile = await openHostileTab(hostileContext, { room: join.room, version: join.v, mode: 'chat-flood', floodPerSecond: RATE, floodMs: SECONDS * 1_000 });
  const started = Date.now();
  while ((await hostile.stats()).floodSent < RATE && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 100));
  progress('exchange under the flood');
  const flooded = await exchange(pages, 'f');
  const floodStall = Math.max(...(await longest(pages)));
  const stats = await hostile.stats();
  const usageAfter = await usage(pages);
  const counters = await (pages[0] as Page).evaluate(() => window.shoalTest?.counters());
  await hostileContext.close();
  return {
    ratePerSecond: RATE,
    seconds: SECONDS,
    floodSent: stats.floodSent,
    idle: { p50: round1(percentile(idle, 50)), p99: round1(percentile(idle, 99)), worstStallMs: round1(idleStall) },
    flooded: { p50: round1(percentile(flooded, 50)), p99: round1(percentile(flooded, 99)), worstStallMs: round1(floodStall) },
    storageGrowthPerVictimMB: usageAfter.map((after, i) => round1((after - (usageBefore[i] ?? 0)) / 1024 / 1024)),
    victim: {
      authorThrottledDropped: counters?.authorThrottledDropped ?? null,
      overBudgetDropped: counters?.overBudgetDropped ?? null,
      overBudgetLinksClosed: counters?.overBudgetLinksClosed ?? null,
      delivered: counters?.delivered ?? null,
    },
  };
});
