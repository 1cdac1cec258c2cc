// TEMP CPU profile of tabs during mesh formation (web helper); not committed.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { benchRoomUrl, intFlag, runBench } from './bench-session.mjs';
const argv = process.argv.slice(2);
const TABS = intFlag(argv, 'tabs', 16, 2, 16);
await runBench('cpuprof', 60_000, async ({ browser, baseUrl }) => {
  const context = await browser.newContext();
  const pages = [];
  for (let i = 0; i < TABS; i++) pages.push(await context.newPage());
  const sessions = await Promise.all(pages.map((p) => context.newCDPSession(p)));
  await Promise.all(sessions.map(async (s) => { await s.send('Profiler.enable'); await s.send('Profiler.setSamplingInterval', { interval: 500 }); await s.send('Profiler.start'); }));
  const url = benchRoomUrl(baseUrl, `prof-${randomUUID().slice(0, 8)}`);
  const t0 = Date.now();
  await Promise.all(pages.map((p) => p.goto(url)));
  await Promise.all(pages.map((p) => p.waitForFunction((n) => (window.shoalTest?.linkedPeerIds().length ?? 0) >= n, TABS - 1, { timeout: 30000, polling: 50 })));
  const meshMs = Date.now() - t0;
  const self = new Map(); let total = 0;
  for (const s of sessions) {
    const { profile } = await s.send('Profiler.stop');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas; 
    for (let i = 0; i < profile.samples.length; i++) {
      const n = byId.get(profile.samples[i]); const f = n.callFrame;
      const key = `${f.functionName || "(anon)"} ${f.url.split("/").pop()}:${f.lineNumber}:${f.columnNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000); total += (dt[i] ?? 0) / 1000;
    }
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${Math.round(v)} ${k}`);
  writeFileSync('/tmp/cpuprof.txt', top.join('\n'));
  return { meshMs, totalSampledMs: Math.round(total) };
});
