// TEMP screenshot script (web helper); not committed.
import { runBench } from './bench-session.mjs';
const OUT = process.env.OUT ?? '/tmp/shots';
await runBench('shots', 90_000, async ({ browser, baseUrl }) => {
  const url = `${baseUrl}/?testHooks=1#design-review`;
  const names = ['Ada', 'Grace', 'Linus', 'Margaret'];
  const pages = [];
  for (const name of names) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('textbox', { name: 'Name' }).fill(name);
    pages.push(page);
  }
  await Promise.all(pages.map((p) => p.waitForFunction(() => (window.shoalTest?.linkedPeerIds().length ?? 0) >= 3, undefined, { timeout: 30000 })));
  const lines = ['Morning all — is the demo still at ten?', 'Yes, same room as last week.', 'I will bring the projector adapter.',
    'Could someone share the slides link here? The old one 404s.', 'Here: https://example.org/slides (read-only)', 'Thanks!'];
  for (const [i, text] of lines.entries()) {
    const page = pages[i % pages.length];
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await box.press('Enter');
    await pages[0].waitForFunction((t) => [...document.querySelectorAll('li[data-message-id]')].some((li) => li.textContent?.includes(t)), text);
  }
  await new Promise((r) => setTimeout(r, 2500)); // RTT pings
  const main = pages[0];
  await main.getByRole('button', { name: /stats/i }).click();
  await new Promise((r) => setTimeout(r, 1200));
  await main.screenshot({ path: `${OUT}-1280.png`, fullPage: false });
  await main.screenshot({ path: `${OUT}-1280-full.png`, fullPage: true });
  await main.setViewportSize({ width: 390, height: 844 });
  await new Promise((r) => setTimeout(r, 500));
  await main.screenshot({ path: `${OUT}-390.png`, fullPage: false });
  await main.screenshot({ path: `${OUT}-390-full.png`, fullPage: true });
  return { ok: true };
});
