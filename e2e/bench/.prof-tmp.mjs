// TEMP profiling script (web helper); not committed.
import { randomUUID } from 'node:crypto';
import { benchRoomUrl, intFlag, runBench } from './bench-session.mjs';
const argv = process.argv.slice(2);
const TABS = intFlag(argv, 'tabs', 8, 2, 16);
function probe(expected) {
  const t = () => performance.now();
  const marks = { wsNew: null, wsOpen: null, wsFirstMsg: null, pcFirst: null, dcOpenFirst: null, dcOpenAll: null, scriptsDone: null, dcOpened: 0 };
  window.__marks = marks;
  const WS = window.WebSocket;
  window.WebSocket = function (...a) { const ws = new WS(...a); marks.wsNew ??= t(); ws.addEventListener('open', () => marks.wsOpen ??= t()); ws.addEventListener('message', () => marks.wsFirstMsg ??= t()); return ws; };
  window.WebSocket.prototype = WS.prototype; Object.assign(window.WebSocket, { OPEN: 1, CLOSED: 3, CONNECTING: 0, CLOSING: 2 });
  const PC = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...a) { const pc = new PC(...a); marks.pcFirst ??= t(); marks.pcCount = (marks.pcCount ?? 0) + 1;
    const orig = pc.createDataChannel.bind(pc);
    const watch = (dc) => dc.addEventListener('open', () => { marks.dcOpened++; marks.dcOpenFirst ??= t(); if (marks.dcOpened >= expected) marks.dcOpenAll ??= t(); });
    pc.createDataChannel = (...b) => { const dc = orig(...b); watch(dc); return dc; };
    pc.addEventListener('datachannel', (e) => watch(e.channel));
    return pc; };
  window.RTCPeerConnection.prototype = PC.prototype;
  addEventListener('load', () => marks.scriptsDone = t());
}
await runBench('prof', 60_000, async ({ browser, baseUrl }) => {
  const context = await browser.newContext();
  await context.addInitScript(probe, TABS - 1);
  const pages = [];
  for (let i = 0; i < TABS; i++) pages.push(await context.newPage());
  const url = benchRoomUrl(baseUrl, `prof-${randomUUID().slice(0, 8)}`);
  await Promise.all(pages.map((p) => p.goto(url)));
  await Promise.all(pages.map((p) => p.waitForFunction(() => window.__marks.dcOpenAll != null, undefined, { timeout: 30000, polling: 50 })));
  const rows = await Promise.all(pages.map((p) => p.evaluate(() => ({ ...window.__marks, origin: performance.timeOrigin, ...Object.fromEntries(performance.getEntriesByType('resource').filter((e) => e.name.includes('/assets/')).flatMap((e) => { const n = e.name.split('/').pop().split('-')[0]; return [[n + '.start', e.startTime], [n + '.end', e.responseEnd]]; })) }))));
  const t0 = Math.min(...rows.map((r) => r.origin));
  const keys = [...Object.keys(rows[0]).filter((k) => k.includes('.')), 'scriptsDone', 'wsNew', 'wsOpen', 'wsFirstMsg', 'pcFirst', 'dcOpenFirst', 'dcOpenAll', 'pcCount'];
  const med = {};
  for (const k of keys) { const v = rows.map((r) => r[k] + r.origin - t0).sort((a, b) => a - b); med[k] = k === 'pcCount' ? rows.reduce((a, r) => a + r.pcCount, 0) : [Math.round(v[0]), Math.round(v[v.length >> 1]), Math.round(v.at(-1))]; }
  return { tabs: TABS, minMedMax: med };
});
