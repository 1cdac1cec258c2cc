/**
 * Flood benchmark (issue 8, attack 4): one member floods 100 msg/s of 16 KB validly signed messages for
 * FLOOD_MS at 3 honest peers (memory links, real WebCrypto, real time, one Node thread for all five
 * meshes). Prints one JSON line: honest send-to-deliver p50/p99 idle vs flooded, the longest event-loop
 * stall, what each victim stored of the flood, and the bytes a victim answered to 2,000 repeated
 * `history-req`s. Run: `npm run bench:flood` (env BENCH_IDLE_MS, BENCH_FLOOD_MS).
 */
import { type LegacyMessage, type Clock, createIdentity, createMesh, createSignatureVerifier, generateIdentityKeyPair, type Identity, type Mesh, MAX_BODY_CHARS, type PeerId, parsePeerMessage, type PeerMessage, PROTOCOL_VERSION, type RoomName, signChatMessage, toBase64url, toPeerId, utf8Length } from '../src/index';
import { createMemoryHistory, createMemoryLinkPair, type MemoryHistory } from '../src/testing/index';
import { helloProofBytes } from '../src/mesh/handshake';

// shared/ compiles without DOM or Node types (it runs in both): the host's globals are looked up here.
interface Host {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  performance: { now(): number };
  process: { env: Record<string, string | undefined>; stdout: { write(s: string): void }; exit(code: number): void };
  crypto: { randomUUID(): string };
}
const host = globalThis as unknown as Host;
const env = (name: string, fallback: number): number => Number(host.process.env[name] ?? fallback);
const IDLE_MS = env('BENCH_IDLE_MS', 5_000);
const FLOOD_MS = env('BENCH_FLOOD_MS', 10_000);
const FLOOD_PER_SECOND = 100;
// Two messages a second: a fast typist, inside AUTHOR_MESSAGE_BUDGET (a faster sender would be throttled).
const HONEST_EVERY_MS = 500;
const REQUESTS = 2_000;
const ROOM = 'bench-flood' as RoomName;

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => host.setTimeout(fn, ms),
  clearTimeout: (h) => host.clearTimeout(h),
  setInterval: (fn, ms) => host.setInterval(fn, ms),
  clearInterval: (h) => host.clearInterval(h),
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => host.setTimeout(resolve, ms));
const id = (): PeerId => {
  const peerId = toPeerId(host.crypto.randomUUID());
  if (!peerId) throw new Error('bad uuid');
  return peerId;
};
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = host.performance.now() + timeoutMs;
  while (!check()) {
    if (host.performance.now() > end) return false;
    await sleep(10);
  }
  return true;
}

interface Node {
  peerId: PeerId;
  mesh: Mesh;
  store: MemoryHistory;
  identity: Identity;
}
async function node(name: string): Promise<Node> {
  const identity = await createIdentity(await generateIdentityKeyPair());
  const store = createMemoryHistory();
  const peerId = id();
  const mesh = createMesh({
    self: { peerId, name }, room: ROOM, identity, verifier: createSignatureVerifier(), store, clock,
    newId: () => host.crypto.randomUUID(), onError: () => undefined,
  });
  return { peerId, mesh, store, identity };
}
function link(a: Node, b: Node): void {
  const wire = createMemoryLinkPair();
  a.mesh.addLink(wire.a, b.peerId);
  b.mesh.addLink(wire.b, a.peerId);
}

/** Longest gap between 5 ms timer ticks beyond their period: the event loop's worst stall. */
function stallMonitor(): { max(): number; reset(): void; stop(): void } {
  let last = host.performance.now();
  let worst = 0;
  const timer = host.setInterval(() => {
    const now = host.performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  return { max: () => Math.round(worst), reset: () => void (worst = 0), stop: () => host.clearInterval(timer) };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
};

/** The honest sender sends every HONEST_EVERY_MS for `ms`; latencies to each other honest peer. */
async function honestTraffic(sender: Node, receivers: Node[], ms: number): Promise<{ p50: number; p99: number; sent: number; delivered: number }> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const offs = receivers.map((r) => r.mesh.on('message', (m) => {
    const t = 'body' in m ? sentAt.get(m.body) : undefined;
    if (t !== undefined) latencies.push(host.performance.now() - t);
  }));
  const end = host.performance.now() + ms;
  let sent = 0;
  while (host.performance.now() < end) {
    const body = `honest ${sent++}`;
    sentAt.set(body, host.performance.now());
    void sender.mesh.send(body);
    await sleep(HONEST_EVERY_MS);
  }
  await until(() => latencies.length >= sent * receivers.length, 30_000);
  for (const off of offs) off();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), sent, delivered: latencies.length };
}

interface RawMember {
  send(message: PeerMessage): boolean;
  closed(): boolean;
  cut(): void;
}

/**
 * A hand-driven member: completes the real handshake with `target`, answers pings, and hands every
 * other frame to `onFrame`. The attacker's own work (signing, encoding) happens before the attack, as a
 * real attacker's would, so the victims' figures measure the victims.
 */
async function rawMember(target: Node, who: { peerId: PeerId; identity: Identity }, onFrame: (m: PeerMessage, bytes: number) => void): Promise<RawMember> {
  const nonce = toBase64url(new Uint8Array(16).fill(7));
  const wire = createMemoryLinkPair();
  const send = (m: PeerMessage): boolean => wire.b.send(JSON.stringify(m));
  let closed = false;
  wire.b.onClose(() => void (closed = true));
  wire.b.onMessage((frame) => {
    const parsed = parsePeerMessage(frame);
    if (!parsed.ok) return;
    const m = parsed.value;
    if (m.type === 'hello') {
      send({ type: 'hello', v: PROTOCOL_VERSION, room: ROOM, peerId: who.peerId, name: 'raw', publicKey: who.identity.publicKey, nonce });
      void who.identity.sign(helloProofBytes(ROOM, who.peerId, nonce, m.peerId, m.nonce)).then((signature) => send({ type: 'hello-proof', signature }));
    } else if (m.type === 'ping') send({ type: 'pong', nonce: m.nonce, t: m.t });
    else onFrame(m, utf8Length(frame));
  });
  target.mesh.addLink(wire.a, who.peerId);
  await until(() => target.mesh.peers().some((p) => p.peerId === who.peerId && p.state === 'online'), 10_000);
  return { send: (m) => !closed && send(m), closed: () => closed, cut: wire.cut };
}

const newMember = async (): Promise<{ peerId: PeerId; identity: Identity }> => ({
  peerId: id(), identity: await createIdentity(await generateIdentityKeyPair()),
});

/**
 * A member asking `target` for everything (`history-req` with an empty vector) REQUESTS times, each as
 * soon as the previous one was answered (or 100 ms passed: a dropped request gets no answer).
 */
async function repeatedRequests(target: Node): Promise<{ requests: number; answers: number; answeredBytes: number; linkClosed: boolean }> {
  let answers = 0;
  let answeredBytes = 0;
  const member = await rawMember(target, await newMember(), (m, bytes) => {
    if (m.type !== 'history-batch') return;
    answers++;
    answeredBytes += bytes;
  });
  let requests = 0;
  for (; requests < REQUESTS && !member.closed(); requests++) {
    const before = answers;
    member.send({ type: 'history-req', vector: {} });
    await until(() => answers > before || member.closed(), 100);
  }
  member.cut();
  return { requests, answers, answeredBytes, linkClosed: member.closed() };
}

async function main(): Promise<void> {
  const honest = await Promise.all([node('h1'), node('h2'), node('h3')]);
  const [h1, h2, h3] = honest as [Node, Node, Node];
  link(h1, h2);
  link(h1, h3);
  link(h2, h3);
  const attacker = await newMember();
  const big = 'x'.repeat(MAX_BODY_CHARS);
  const total = Math.ceil((FLOOD_MS / 1000) * FLOOD_PER_SECOND);
  const flood = await Promise.all(Array.from({ length: total }, (_, i) => signChatMessage(attacker.identity, {
    id: host.crypto.randomUUID(), room: ROOM, author: attacker.peerId, seq: i + 1, lamport: i + 1, sentAt: Date.now(),
    name: 'flooder', body: big, publicKey: attacker.identity.publicKey,
  })));
  const links = await Promise.all(honest.map((h) => rawMember(h, attacker, () => undefined)));
  await until(() => honest.every((h) => h.mesh.peers().filter((p) => p.state === 'online').length === 3), 10_000);
  const closes: string[] = [];
  for (const h of honest) h.mesh.on('link-closed', (e) => closes.push(e.reason));

  await honestTraffic(h1, [h2, h3], 1_000); // warm-up: first signatures, initial history sync
  const stall = stallMonitor();
  const idle = await honestTraffic(h1, [h2, h3], IDLE_MS);
  const idleStall = stall.max();
  stall.reset();

  let floodSent = 0;
  const floodTimer = host.setInterval(() => {
    const message = flood[floodSent++];
    if (!message) return host.clearInterval(floodTimer);
    for (const l of links) l.send({ type: 'chat', hops: 1, message });
  }, 1000 / FLOOD_PER_SECOND);
  const flooded = await honestTraffic(h1, [h2, h3], FLOOD_MS);
  host.clearInterval(floodTimer);
  const floodStall = stall.max();
  stall.stop();

  const stored = honest.map((h) => {
    const rows = h.store.messages(ROOM).filter((m) => m.author === attacker.peerId);
    return { messages: rows.length, bytes: rows.reduce((sum, m) => sum + utf8Length(JSON.stringify(m)), 0) };
  });
  // What one victim answers to a 2,000-request barrage: give it ~5 MB of history to answer from.
  for (let seq = 1; seq <= 300; seq++) {
    await h3.store.put(await signChatMessage(h1.identity, {
      id: host.crypto.randomUUID(), room: ROOM, author: h1.peerId, seq: 10_000 + seq, lamport: seq, sentAt: Date.now(),
      name: 'h1', body: big, publicKey: h1.identity.publicKey,
    }));
  }
  const history = await repeatedRequests(h3);

  host.process.stdout.write(`${JSON.stringify({
    bench: 'flood', idleMs: IDLE_MS, floodMs: FLOOD_MS, floodPerSecond: FLOOD_PER_SECOND, floodBodyChars: MAX_BODY_CHARS, floodSent,
    honestIdle: idle, honestFlooded: flooded, maxStallMs: { idle: idleStall, flooded: floodStall },
    storedPerVictim: stored, linkCloses: closes, historyReq: history,
  })}\n`);
  for (const n of honest) n.mesh.close();
  host.process.exit(0);
}

void main();
