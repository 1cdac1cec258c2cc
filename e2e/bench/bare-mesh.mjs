// The browser's own floor for forming a mesh (issue 14): the same tabs in the same browser, each with a
// bare RTCPeerConnection + data channel to every other tab, signalled through a trivial WebSocket relay.
// No app, no bundle, no storage, no keys: what is left is page load, ICE and DTLS/SCTP on this machine.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { cpuByKind, cpuSpent } from './process-cpu.mjs';

/** The relay's frames are SDP and candidates: far below this. */
const MAX_RELAY_FRAME_BYTES = 64 * 1024;

/**
 * The whole client: the newcomer offers to every tab already in the room (the relay lists them), the
 * others answer; trickle ICE. Each peer's signals are applied in arrival order (a candidate must not
 * overtake the description it belongs to). `window.__bareLinkedAt`: epoch ms of the last channel open.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>bare mesh</title><script>
const params = new URLSearchParams(location.search);
const expected = Number(params.get('peers'));
const socket = new WebSocket('ws://' + location.host + '/?room=' + encodeURIComponent(params.get('room')));
const connections = new Map();
let open = 0;
const send = (to, data) => socket.send(JSON.stringify({ to, data }));
const countOpen = (channel) => { channel.onopen = () => { if (++open === expected) window.__bareLinkedAt = performance.timeOrigin + performance.now(); }; };
function connect(peer, initiator) {
  const pc = new RTCPeerConnection({ iceServers: [] });
  const entry = { pc, queue: Promise.resolve() };
  connections.set(peer, entry);
  pc.onicecandidate = (event) => { if (event.candidate) send(peer, { candidate: event.candidate.toJSON() }); };
  if (initiator) {
    countOpen(pc.createDataChannel('chat'));
    entry.queue = pc.createOffer().then((offer) => pc.setLocalDescription(offer)).then(() => send(peer, { sdp: pc.localDescription }));
  } else pc.ondatachannel = (event) => countOpen(event.channel);
  return entry;
}
async function apply(peer, pc, data) {
  if (data.candidate) return pc.addIceCandidate(data.candidate);
  await pc.setRemoteDescription(data.sdp);
  if (data.sdp.type === 'offer') {
    await pc.setLocalDescription(await pc.createAnswer());
    send(peer, { sdp: pc.localDescription });
  }
}
socket.onmessage = ({ data }) => {
  const message = JSON.parse(data);
  if (message.type === 'peers') for (const peer of message.peers) connect(peer, true);
  if (message.type !== 'signal') return;
  const entry = connections.get(message.from) ?? connect(message.from, false);
  entry.queue = entry.queue.then(() => apply(message.from, entry.pc, message.data));
};
</script>`;

/**
 * @typedef {object} BareRelay
 * @property {string} url Base URL of the page, without trailing slash.
 * @property {() => Promise<void>} close
 */

/**
 * Serves the page and relays `{ to, data }` frames between the sockets of one room; a newcomer is told
 * who is already there. Listens on 127.0.0.1, port 0.
 * @returns {Promise<BareRelay>}
 */
export async function startBareRelay() {
  /** @type {Map<string, Map<string, import('ws').WebSocket>>} */
  const rooms = new Map();
  let nextId = 0;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(PAGE);
  });
  const relay = new WebSocketServer({ server, maxPayload: MAX_RELAY_FRAME_BYTES });
  relay.on('connection', (socket, request) => {
    const room = new URL(request.url ?? '/', 'http://relay').searchParams.get('room') ?? '';
    const members = rooms.get(room) ?? new Map();
    rooms.set(room, members);
    const id = String(++nextId);
    socket.send(JSON.stringify({ type: 'peers', peers: [...members.keys()] }));
    members.set(id, socket);
    socket.on('message', (raw) => {
      try {
        const { to, data } = JSON.parse(String(raw));
        members.get(String(to))?.send(JSON.stringify({ type: 'signal', from: id, data }));
      } catch {
        // A benchmark page only sends JSON; anything else is dropped.
      }
    });
    socket.on('close', () => members.delete(id));
    socket.on('error', () => socket.terminate());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bare relay has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const socket of relay.clients) socket.terminate();
      relay.close();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * Navigates `tabs` fresh tabs of one new context to a fresh room at once; resolves with navigation
 * start to the last channel open in any tab, ms, and the CPU the machine spent meanwhile (process-cpu.mjs).
 * @param {import('@playwright/test').Browser} browser
 * @param {BareRelay} relay
 * @param {number} tabs
 * @param {string} room
 * @returns {Promise<{ ms: number, cpu: ReturnType<typeof cpuSpent> }>}
 */
export async function formBareMesh(browser, relay, tabs, room) {
  const context = await browser.newContext();
  try {
    const pages = await Promise.all(Array.from({ length: tabs }, () => context.newPage()));
    const url = `${relay.url}/?peers=${tabs - 1}&room=${encodeURIComponent(room)}`;
    const cpuBefore = cpuByKind(process.pid);
    const navigationStart = Date.now();
    await Promise.all(pages.map((page) => page.goto(url)));
    const linkedAt = await Promise.all(pages.map(async (page) => {
      const handle = await page.waitForFunction(
        () => /** @type {Window & { __bareLinkedAt?: number }} */ (window).__bareLinkedAt, undefined, { timeout: 30_000, polling: 20 });
      return Number(await handle.jsonValue());
    }));
    const cpu = cpuSpent(cpuBefore, cpuByKind(process.pid));
    return { ms: Math.max(...linkedAt) - navigationStart, cpu };
  } finally {
    await context.close();
  }
}
