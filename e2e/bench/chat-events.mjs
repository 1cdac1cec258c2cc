// Chat benchmark: a room of N signed events (default 10,000: texts, reactions, edits, deletions from
// three people) is imported into one tab, which then reloads: time from navigation start until the
// newest message is in the DOM with its edit and its reaction applied. Prints one JSON line.
//   node bench/chat-events.mjs [--events 10000] [--reloads 5]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { benchRoomUrl, intFlag, progress, runBench, within } from './bench-session.mjs';
import { installProbe } from './page-probe.mjs';

const argv = process.argv.slice(2);
const EVENTS = intFlag(argv, 'events', 10_000, 10, 50_000);
const RELOADS = intFlag(argv, 'reloads', 5, 1, 50);

/** @typedef {Window & { __shoalProbe?: import('./page-probe.mjs').Probe }} ProbedWindow */

/** The generator is TypeScript over the shared package: bundled in memory, imported from a data URL. */
async function loadGenerator() {
  const bundled = await build({ entryPoints: [fileURLToPath(new URL('./room-events.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'error' });
  const code = bundled.outputFiles[0]?.text ?? '';
  /** @type {{ makeRoomEvents(room: string, total: number): Promise<{ events: object[]; lastMarker: string }> }} */
  const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return module.makeRoomEvents;
}

/**
 * Navigation start to the marker's row in the DOM, then checks the row shows the edit and the reaction.
 * @param {import('@playwright/test').Page} page
 * @param {string} marker
 */
async function shownMs(page, marker) {
  const ms = await within(page.evaluate(async (m) => {
    const probe = /** @type {ProbedWindow} */ (window).__shoalProbe;
    if (!probe) throw new Error('probe missing');
    await probe.seen(m);
    return (probe.seenAt[m] ?? Number.NaN) - probe.timeOrigin;
  }, marker), 60_000, `showing ${marker}`);
  const row = await page.locator('li[data-message-id]').filter({ hasText: `[[${marker}]]` }).innerText();
  if (!row.includes('edited') || !row.includes('🎉 1')) throw new Error(`newest row lacks its edit or reaction: ${row}`);
  return ms;
}

await runBench('chat-events', 15 * 60_000, async ({ browser, baseUrl }) => {
  const room = `chat-${randomUUID().slice(0, 8)}`;
  progress(`signing ${EVENTS} events`);
  const makeRoomEvents = await loadGenerator();
  const { events, lastMarker } = await makeRoomEvents(room, EVENTS);
  const dir = mkdtempSync(join(tmpdir(), 'shoal-chat-bench-'));
  try {
    const file = join(dir, 'history.jsonl');
    const header = JSON.stringify({ format: 'shoal-history', version: 1, room, exportedAt: Date.now() });
    writeFileSync(file, [header, ...events.map((event) => JSON.stringify(event))].join('\n') + '\n');

    const context = await browser.newContext();
    await context.addInitScript(installProbe, { expectedLinks: 0 });
    const page = await context.newPage();
    await page.goto(benchRoomUrl(baseUrl, room));
    await page.waitForFunction(() => window.shoalTest !== undefined);
    progress('importing');
    const importStart = Date.now();
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByLabel('Import history').setInputFiles(file);
    await page.getByRole('status').filter({ hasText: 'Imported' }).waitFor({ timeout: 300_000 });
    const importMs = Date.now() - importStart;
    const imported = await page.getByRole('status').filter({ hasText: 'Imported' }).innerText();

    const reloads = [];
    for (let i = 0; i < RELOADS; i++) {
      await page.reload();
      reloads.push(Math.round(await shownMs(page, lastMarker)));
      progress(`reload ${i + 1}: newest row with its edit and reaction shown ${reloads.at(-1)} ms after navigation start`);
    }
    await context.close();
    const sorted = [...reloads].sort((a, b) => a - b);
    return { events: EVENTS, importMs, imported, reloadShownMs: reloads, medianReloadShownMs: sorted[Math.floor(sorted.length / 2)] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
