// Load generator process for run.mjs and cluster.mjs. Usage: node gen.mjs <port[,port…]> <count> <index> <maxMs> [wait]
// With several ports, consecutive clients (so the members of each room) go to the servers in turn.
// Opens <count> WebSocket clients in rooms of 8, reports on stdout (JSON lines), and takes commands
// on stdin: `go` (starts connecting when started with `wait`), `closed <warmupMs> <durationMs> <window>`, `fixed <warmupMs> <durationMs> <ratePerSec>`,
// `stop`. It exits by itself after <maxMs> whatever happens.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const [port, countArg, indexArg, maxMsArg, waitArg] = process.argv.slice(2);
const count = Number(countArg);
const index = Number(indexArg);
const ROOM_SIZE = 8;
const CONCURRENCY = 200;
const urls = port.split(',').map((p) => `ws://127.0.0.1:${p}/`);
// Each generator dials from its own loopback address: separate ephemeral port ranges.
const localAddress = `127.0.0.${2 + index}`;
const PAD = 'x'.repeat(924); // frames of ~1,024 bytes

setTimeout(() => process.exit(3), Number(maxMsArg)).unref();
const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

/** One client: id, socket, the peer it sends to, and a latency hook. */
const clients = [];
let onSignal = () => undefined;

function openClient(room, url) {
  return new Promise((resolve, reject) => {
    const id = randomUUID();
    const ws = new WebSocket(url, { perMessageDeflate: false, localAddress, handshakeTimeout: 15_000 });
    const client = { id, ws, to: null, room };
    // A server at its fd ceiling leaves extra connections in the accept queue: give up on those.
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no welcome'));
    }, 20_000);
    ws.on('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'join', v: 1, room, peerId: id })));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"signal"')) return onSignal(client, text);
      if (text.startsWith('{"type":"welcome"')) {
        clearTimeout(timer);
        resolve(client);
      }
      else if (text.startsWith('{"type":"error"')) reject(new Error(text));
    });
  });
}

const frameTo = (c, seq) => `{"type":"signal","to":"${c.to.id}","data":{"t":${performance.now()},"s":${seq},"pad":"${PAD}"}}`;
const sentAt = (text) => Number(text.slice(text.indexOf('"t":') + 4, text.indexOf(',"s"')));

async function connectAll() {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  // Time of the last successful join: the connect rate must not include waiting out failed attempts.
  let lastOkMs = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      try {
        clients[i] = await openClient(`g${index}-r${Math.floor(i / ROOM_SIZE)}`, urls[i % urls.length]);
        lastOkMs = performance.now() - started;
      } catch {
        failed++;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ms = performance.now() - started;
  const live = clients.filter(Boolean);
  // Each client sends to the next member of its room (a ring), so every client also receives.
  for (let i = 0; i < live.length; i++) {
    const c = live[i];
    const base = i - (i % ROOM_SIZE);
    const peer = live[base + ((i - base + 1) % ROOM_SIZE)];
    c.to = peer && peer.room === c.room && peer !== c ? peer : null;
  }
  const sample = live.find((c) => c.to);
  out({ event: 'ready', connected: live.length, failed, ms, lastOkMs, frameBytes: sample ? Buffer.byteLength(frameTo(sample, 0)) : 0 });
}


function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function run(kind, warmupMs, durationMs, param) {
  const live = clients.filter((c) => c && c.to);
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  const latencies = [];
  let received = 0;
  let seq = 0;
  onSignal = (client, text) => {
    const now = performance.now();
    if (now >= measureFrom && now < end) {
      received++;
      latencies.push(now - sentAt(text));
    }
    // Closed loop: the receiver's arrival releases the sender's next frame (same process).
    if (kind === 'closed' && now < end) {
      const sender = client.sender;
      if (sender) sender.ws.send(frameTo(sender, seq++));
    }
  };
  if (kind === 'closed') {
    for (const c of live) c.to.sender = c;
    for (const c of live) for (let w = 0; w < param; w++) c.ws.send(frameTo(c, seq++));
  } else {
    // Fixed offered load: every 2 ms, send what is due since the start, round-robin over clients.
    let sent = 0;
    let rr = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      if (now >= end) return clearInterval(timer);
      const due = Math.floor(((now - start) * param) / 1000) - sent;
      for (let k = 0; k < due; k++) {
        const c = live[rr++ % live.length];
        c.ws.send(frameTo(c, seq++));
      }
      sent += Math.max(0, due);
    }, 2);
  }
  setTimeout(() => {
    latencies.sort((a, b) => a - b);
    // 1,000 quantiles let run.mjs merge the generators' distributions instead of averaging percentiles.
    const quantiles = Array.from({ length: 1000 }, (_, i) => Math.round((percentile(latencies, i / 10) ?? 0) * 100) / 100);
    out({ event: 'done', kind, received, quantiles, max: latencies.at(-1) ?? null });
  }, end - start + 300);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, ...args] = line.trim().split(' ');
  if (cmd === 'stop') {
    for (const c of clients) c?.ws.terminate();
    process.exit(0);
  }
  if (cmd === 'closed' || cmd === 'fixed') run(cmd, ...args.map(Number));
  if (cmd === 'go') void connectAll();
});
process.stdin.on('end', () => process.exit(0));

if (waitArg !== 'wait') await connectAll();
