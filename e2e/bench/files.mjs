// File benchmark: real tabs (each its own browser context: tabs of one context share OPFS), one run.
//  1. throughput of a 100 MiB file between two tabs vs a bare data-channel send loop between the same tabs;
//  2. one holder vs three holders sending the same file to a downloader;
//  3. chat send-to-display p99 between two tabs while a 100 MiB transfer runs vs idle;
//  4. peak JS heap of a tab receiving a 500 MiB file.
// Prints one JSON line.   node bench/files.mjs [--mib 100] [--big-mib 500] [--messages 40]
import { randomFillSync, randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchRoomUrl, intFlag, percentile, progress, round1, runBench, within } from './bench-session.mjs';
import { installProbe } from './page-probe.mjs';

const argv = process.argv.slice(2);
const MIB = 1024 * 1024;
const FILE_MIB = intFlag(argv, 'mib', 100, 1, 1024);
const BIG_MIB = intFlag(argv, 'big-mib', 500, 1, 2048);
const MESSAGES = intFlag(argv, 'messages', 40, 5, 500);
/** `--only chat`: only the chat-latency part (idle vs during a transfer), for quick instrumented runs. */
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
/** `--trace`: also reports where each busy message waited (sender buffer, receiver queue, receiver display). */
const TRACE = argv.includes('--trace');
/** `--profile`: samples the receiver's main thread during the busy part and prints the top self times. */
const PROFILE = argv.includes('--profile');

/**
 * The functions with the most self time in a CPU profile, ms.
 * @param {{ nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }} profile
 */
function topSelfTime(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<string, number>} */
  const self = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] ?? -1);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anon)'} ${url.split('/').pop()}:${lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, ms]) => `${k} ${Math.round(ms)}`);
}
/** Gap between chat messages: an offered load, not a closed loop. */
const MESSAGE_GAP_MS = 100;
const TRANSFER_TIMEOUT_MS = 10 * 60_000;

/** @typedef {import('@playwright/test').Page} Page */
/** @typedef {import('@playwright/test').Browser} Browser */
/** @typedef {{ state(id: string): { phase: string; receivedBytes: number; error?: { code: string; message: string } } | null }} FileHooks */
/** @typedef {Window & { shoalFiles?: FileHooks; __shoalProbe?: import('./page-probe.mjs').Probe }} BenchWindow */
/** @typedef {Window & { bare?: { pc: RTCPeerConnection; channel: RTCDataChannel | null; done: Promise<number> | null } }} BareWindow */

/**
 * A file of random bytes, written in 4 MiB slices (never whole in this process's memory).
 * @param {string} path @param {number} mib
 */
function randomFile(path, mib) {
  const fd = openSync(path, 'w');
  const slice = Buffer.alloc(4 * MIB);
  for (let written = 0; written < mib * MIB; written += slice.length) writeSync(fd, randomFillSync(slice), 0, Math.min(slice.length, mib * MIB - written));
  closeSync(fd);
}

/**
 * Runs in the page (--trace): records per marker the sender's bufferedAmount when its frame went out and
 * the receiver's time its frame was dispatched by the channel, plus binary frames dispatched and the
 * main thread's long tasks.
 */
function installTrace() {
  const now = () => performance.timeOrigin + performance.now();
  /** @type {any} */
  const trace = { sendBuffered: {}, sendAt: {}, arriveAt: {}, binaryFrames: 0, binaryAt: [], longTasks: [] };
  /** @type {any} */ (window).__shoalTrace = trace;
  const MARK = /\[\[([^\]\\]+)\]\]/;
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (data) {
    if (typeof data === 'string') {
      const m = MARK.exec(data);
      if (m?.[1] !== undefined && !(m[1] in trace.sendAt)) {
        trace.sendBuffered[m[1]] = this.bufferedAmount;
        trace.sendAt[m[1]] = now();
      }
    }
    return send.call(this, /** @type {any} */ (data));
  };
  const desc = Object.getOwnPropertyDescriptor(RTCDataChannel.prototype, 'onmessage');
  Object.defineProperty(RTCDataChannel.prototype, 'onmessage', {
    configurable: true,
    get() { return desc?.get?.call(this); },
    set(handler) {
      desc?.set?.call(this, handler && ((/** @type {MessageEvent} */ event) => {
        if (typeof event.data === 'string') {
          const m = MARK.exec(event.data);
          if (m?.[1] !== undefined && !(m[1] in trace.arriveAt)) {
            trace.arriveAt[m[1]] = now();
            /** @type {any} */ (trace).writesAtArrival[m[1]] = [/** @type {any} */ (trace).writes, /** @type {any} */ (trace).digests];
          }
        } else {
          trace.binaryFrames++;
          if (trace.binaryAt.length < 20000) trace.binaryAt.push(now());
        }
        return handler.call(this, event);
      }));
    },
  });
  Object.assign(trace, { writes: 0, maxWrites: 0, digests: 0, maxDigests: 0, writesAtArrival: {} });
  const t = /** @type {any} */ (trace);
  const createWritable = FileSystemFileHandle.prototype.createWritable;
  FileSystemFileHandle.prototype.createWritable = async function (...args) {
    t.writes++;
    t.maxWrites = Math.max(t.maxWrites, t.writes);
    const stream = await createWritable.apply(this, args);
    const close = stream.close.bind(stream);
    stream.close = async () => {
      try { return await close(); } finally { t.writes--; }
    };
    return stream;
  };
  const digest = crypto.subtle.digest.bind(crypto.subtle);
  crypto.subtle.digest = async (...args) => {
    t.digests++;
    t.maxDigests = Math.max(t.maxDigests, t.digests);
    try { return await digest(...args); } finally { t.digests--; }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (trace.longTasks.length < 5000) trace.longTasks.push([performance.timeOrigin + e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no long tasks */ }
}

/**
 * A tab in its own context, in `room`, with the probe installed.
 * @param {Browser} browser
 * @param {string} url
 */
async function openTab(browser, url) {
  const context = await browser.newContext({ acceptDownloads: true });
  await context.addInitScript(installProbe, { expectedLinks: 1 });
  if (TRACE) await context.addInitScript(installTrace);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.shoalTest?.peerId);
  return page;
}

/** @param {Page} page @param {number} links */
function waitForLinks(page, links) {
  return page.waitForFunction((n) => (window.shoalTest?.linkedPeerIds().length ?? 0) >= n, links, { timeout: 60_000, polling: 100 });
}

/** @param {Page} page @param {string} name */
async function fileIdOf(page, name) {
  const row = page.locator('li[data-message-id]', { has: page.getByRole('group', { name: `File ${name}` }) });
  await row.waitFor({ timeout: 60_000 });
  return /** @type {string} */ (await row.getAttribute('data-message-id'));
}

/**
 * Starts fetching `name` on `page` and resolves with the ms until its transfer is complete.
 * @param {Page} page @param {string} name
 */
async function fetchMs(page, name) {
  const id = await fileIdOf(page, name);
  const start = Date.now();
  await page.getByRole('button', { name: `Download ${name}` }).click();
  await page.waitForFunction((fileId) => {
    const phase = /** @type {BenchWindow} */ (window).shoalFiles?.state(fileId)?.phase;
    return phase === 'complete' || phase === 'failed' || phase === 'cancelled';
  }, id, { timeout: TRANSFER_TIMEOUT_MS, polling: 50 });
  const state = await page.evaluate((fileId) => /** @type {BenchWindow} */ (window).shoalFiles?.state(fileId), id);
  if (state?.phase !== 'complete') throw new Error(`${name}: ${state?.phase} after ${state?.receivedBytes} bytes (${JSON.stringify(state?.error)})`);
  return Date.now() - start;
}

/**
 * The same bytes over a bare RTCPeerConnection between the two pages (signalled through this process):
 * 64 KiB messages, the sender pausing above 1 MiB buffered. Resolves with the receiver's ms.
 * @param {Page} sender @param {Page} receiver @param {number} bytes
 */
async function bareChannelMs(sender, receiver, bytes) {
  /** Runs in the page: the bare connection's state lives on window.bare. */
  const bareOf = () => {
    const w = /** @type {BareWindow} */ (/** @type {unknown} */ (window));
    w.bare ??= { pc: new RTCPeerConnection({ iceServers: [] }), channel: null, done: null };
    return w.bare;
  };
  await receiver.evaluate(`(${bareOf})()`);
  await receiver.evaluate((total) => {
    const bare = /** @type {BareWindow} */ (/** @type {unknown} */ (window)).bare;
    if (!bare) throw new Error('no bare connection');
    bare.done = new Promise((resolve) => {
      bare.pc.ondatachannel = ({ channel }) => {
        let received = 0;
        let start = 0;
        channel.binaryType = 'arraybuffer';
        channel.onmessage = ({ data }) => {
          if (start === 0) start = performance.now();
          received += /** @type {ArrayBuffer} */ (data).byteLength;
          if (received >= total) resolve(performance.now() - start);
        };
      };
    });
  }, bytes);
  /** Runs in the page: sets a description, makes its own, waits for every candidate, returns it. */
  const describe = async (/** @type {RTCSessionDescriptionInit | null} */ remote) => {
    const bare = /** @type {BareWindow} */ (/** @type {unknown} */ (window)).bare;
    if (!bare) throw new Error('no bare connection');
    const { pc } = bare;
    if (remote) await pc.setRemoteDescription(remote);
    else bare.channel = pc.createDataChannel('bare');
    await pc.setLocalDescription(remote ? await pc.createAnswer() : await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve(null);
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve(null));
    });
    return pc.localDescription?.toJSON() ?? null;
  };
  await sender.evaluate(`(${bareOf})()`);
  const offer = await sender.evaluate(describe, null);
  const answer = await receiver.evaluate(describe, offer);
  await sender.evaluate(async ({ description, total }) => {
    const bare = /** @type {BareWindow} */ (/** @type {unknown} */ (window)).bare;
    if (!bare?.channel || !description) throw new Error('no bare channel');
    const { channel } = bare;
    await bare.pc.setRemoteDescription(description);
    await new Promise((resolve) => (channel.readyState === 'open' ? resolve(null) : (channel.onopen = () => resolve(null))));
    channel.bufferedAmountLowThreshold = 256 * 1024;
    const chunk = new Uint8Array(64 * 1024);
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (channel.bufferedAmount > 1024 * 1024) await new Promise((resolve) => (channel.onbufferedamountlow = () => resolve(null)));
      channel.send(chunk);
    }
  }, { description: answer, total: bytes });
  const ms = await within(receiver.evaluate(() => /** @type {BareWindow} */ (/** @type {unknown} */ (window)).bare?.done), 120_000, 'bare data channel');
  for (const page of [sender, receiver]) await page.evaluate(() => /** @type {BareWindow} */ (/** @type {unknown} */ (window)).bare?.pc.close());
  return Number(ms);
}

/**
 * Chat latency from the sender's Enter to the row in the receiver's DOM, for up to MESSAGES messages.
 * With `during`, only messages sent and shown while it holds count, and sending stops once it no longer does.
 * @param {Page} sender @param {Page} receiver @param {string} label @param {() => Promise<boolean>} [during]
 */
async function chatLatencies(sender, receiver, label, during) {
  const box = sender.getByRole('textbox', { name: 'Message' });
  const latencies = [];
  for (let i = 0; i < MESSAGES; i++) {
    if (during && !(await during())) break;
    const marker = `${label}${i}`;
    await box.fill(`latency [[${marker}]]`);
    await box.press('Enter');
    const ms = await within(
      receiver.evaluate(async (m) => {
        const probe = /** @type {BenchWindow} */ (window).__shoalProbe;
        await probe?.seen(m);
        return (probe?.seenAt[m] ?? Number.NaN);
      }, marker),
      30_000,
      `message ${marker}`,
    );
    const sentAt = await sender.evaluate((m) => /** @type {BenchWindow} */ (window).__shoalProbe?.sentAt[m] ?? Number.NaN, marker);
    if (during && !(await during())) break;
    latencies.push(ms - sentAt);
    await sender.waitForTimeout(MESSAGE_GAP_MS);
  }
  return latencies;
}

/**
 * Peak JS heap of `page` (CDP Runtime.getHeapUsage) while `work` runs, sampled every 200 ms.
 * @param {Page} page @param {() => Promise<void>} work
 */
async function peakHeapDuring(page, work) {
  const cdp = await page.context().newCDPSession(page);
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      peak = Math.max(peak, usedSize);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await sampler;
  }
  return peak;
}

/**
 * --trace: where the busy messages waited. Per message: sender's bufferedAmount at its send, send→arrival
 * at the receiver's channel, arrival→row in the DOM; the p50/p99 of each, and the receiver's long tasks.
 * @param {Page} sender @param {Page} receiver
 */
async function traceOf(sender, receiver) {
  const s = await sender.evaluate(() => /** @type {any} */ (window).__shoalTrace);
  const r = await receiver.evaluate(() => ({ ...(/** @type {any} */ (window).__shoalTrace), seenAt: /** @type {BenchWindow} */ (window).__shoalProbe?.seenAt ?? {} }));
  const rows = Object.keys(s.sendAt).filter((m) => m.startsWith('busy') && m in r.arriveAt && m in r.seenAt);
  const col = (/** @type {(m: string) => number} */ f) => rows.map(f);
  const stats = (/** @type {number[]} */ xs) => ({ p50: round1(percentile(xs, 50)), p99: round1(percentile(xs, 99)), max: round1(Math.max(...xs)) });
  const wire = col((m) => r.arriveAt[m] - s.sendAt[m]);
  const display = col((m) => r.seenAt[m] - r.arriveAt[m]);
  const buffered = col((m) => s.sendBuffered[m]);
  const longTasks = r.longTasks.filter((/** @type {number[]} */ [start]) => (start ?? 0) >= Math.min(...col((m) => s.sendAt[m])));
  return {
    traceSamples: rows.length,
    traceSendBufferedKiB: stats(buffered.map((b) => b / 1024)),
    traceSendToArrivalMs: stats(wire),
    traceArrivalToDomMs: stats(display),
    traceReceiverLongTasks: longTasks.length,
    traceReceiverLongTaskMaxMs: round1(Math.max(0, ...longTasks.map((/** @type {number[]} */ t) => t[1]))),
    traceReceiverBinaryFrames: r.binaryFrames,
    traceRows: rows.map((m, i) => [Math.round((buffered[i] ?? 0) / 1024), round1(wire[i] ?? 0), round1(display[i] ?? 0), ...(r.writesAtArrival[m] ?? [])]),
    traceReceiverMaxConcurrentWrites: r.maxWrites,
    traceReceiverMaxConcurrentDigests: r.maxDigests,
  };
}

await runBench('files', 30 * 60_000, async ({ browser, baseUrl }) => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-bench-files-'));
  try {
    const url = benchRoomUrl(baseUrl, `files-${randomUUID().slice(0, 8)}`);
    progress(`writing ${FILE_MIB} MiB and ${BIG_MIB} MiB test files`);
    randomFile(join(dir, 'second.bin'), FILE_MIB);
    if (ONLY !== 'chat') {
      randomFile(join(dir, 'medium.bin'), FILE_MIB);
      randomFile(join(dir, 'big.bin'), BIG_MIB);
    }
    const author = await openTab(browser, url);
    const reader = await openTab(browser, url);
    await waitForLinks(author, 1);
    await waitForLinks(reader, 1);

    /** Filled in as each part finishes, so a part that fails still leaves the others' figures. */
    const result = /** @type {Record<string, unknown>} */ ({ fileMiB: FILE_MIB, bigMiB: BIG_MIB });
    const mbps = (/** @type {number} */ ms) => round1((FILE_MIB * MIB) / 1e6 / (ms / 1000));
    let oneHolderMs = 0;
    if (ONLY !== 'chat') {
    progress('bare data channel');
    const bareMs = await bareChannelMs(author, reader, FILE_MIB * MIB);
    progress('sharing and fetching through the app');
    await author.getByLabel('Attach file').setInputFiles([join(dir, 'medium.bin')]);
    oneHolderMs = await fetchMs(reader, 'medium.bin');
    Object.assign(result, { bareChannelMBps: mbps(bareMs), fileMBps: mbps(oneHolderMs), throughputVsBare: Math.round((bareMs / oneHolderMs) * 100) / 100 });
    progress(JSON.stringify(result));
    }

    progress('idle chat latency');
    const idle = await chatLatencies(author, reader, 'idle');
    progress('chat latency during a transfer');
    await author.getByLabel('Attach file').setInputFiles([join(dir, 'second.bin')]);
    const secondId = await fileIdOf(reader, 'second.bin');
    const profiler = PROFILE ? await reader.context().newCDPSession(reader) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
    }
    await reader.getByRole('button', { name: 'Download second.bin' }).click();
    const transferRunning = async () =>
      (await reader.evaluate((id) => /** @type {BenchWindow} */ (window).shoalFiles?.state(id)?.phase ?? 'none', secondId)) !== 'complete';
    const busy = await chatLatencies(author, reader, 'busy', transferRunning);
    if (profiler) progress(`receiver self time during the busy part: ${JSON.stringify(topSelfTime((await profiler.send('Profiler.stop')).profile))}`);
    await reader.waitForFunction((id) => /** @type {BenchWindow} */ (window).shoalFiles?.state(id)?.phase === 'complete', secondId, { timeout: TRANSFER_TIMEOUT_MS, polling: 100 });
    Object.assign(result, {
      chatIdleP99Ms: round1(percentile(idle, 99)),
      chatDuringTransferP99Ms: round1(percentile(busy, 99)),
      chatP99Ratio: Math.round((percentile(busy, 99) / percentile(idle, 99)) * 100) / 100,
      chatSamplesIdle: idle.length,
      chatSamplesDuringTransfer: busy.length,
    });
    if (TRACE) Object.assign(result, await traceOf(author, reader));
    progress(JSON.stringify(result));
    if (ONLY === 'chat') return { ...result, loadAverage1m: round1(loadavg()[0] ?? 0) };

    progress('three holders to one downloader');
    const third = await openTab(browser, url);
    await waitForLinks(third, 2);
    await fetchMs(third, 'medium.bin');
    const downloader = await openTab(browser, url);
    await waitForLinks(downloader, 3);
    const threeHoldersMs = await fetchMs(downloader, 'medium.bin');
    for (const page of [third, downloader]) await page.context().close();
    Object.assign(result, { oneHolderMs, threeHoldersMs, threeHolderSpeedup: Math.round((oneHolderMs / threeHoldersMs) * 100) / 100 });
    progress(JSON.stringify(result));

    progress(`heap of a tab receiving ${BIG_MIB} MiB`);
    await author.getByLabel('Attach file').setInputFiles([join(dir, 'big.bin')]);
    let bigMs = 0;
    try {
      const peakHeap = await peakHeapDuring(reader, async () => {
        bigMs = await fetchMs(reader, 'big.bin');
      });
      Object.assign(result, { bigTransferMs: bigMs, receiverPeakHeapMB: round1(peakHeap / 1e6) });
    } catch (error) {
      // A part that runs out of time on a loaded machine is reported, not allowed to hide the others.
      result['bigError'] = error instanceof Error ? error.message.split('\n')[0] : String(error);
    }
    return { ...result, loadAverage1m: round1(loadavg()[0] ?? 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
