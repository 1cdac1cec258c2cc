import { connect as netConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ANSWERED_PER_PENDING } from '../src/connection-guard';
import type { SignalServer } from '../src/create-server';
import type { Log } from '../src/log';
import { connect, joinMany, startServer } from './helpers';

const BOUND_MS = 5_000;
let server: SignalServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
  server = undefined;
});

interface RawSocket {
  socket: Socket;
  /** Resolves when the server closed the socket; rejects after BOUND_MS. */
  closed: Promise<void>;
}

/** A TCP socket that sends nothing, from `localAddress` (any 127.x address reaches loopback). */
async function silentSocket(port: number, localAddress = '127.0.0.2'): Promise<RawSocket> {
  const socket = netConnect({ port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket still open')), BOUND_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  // Not awaited by every test: a promise nobody awaits must not fail the run when it times out.
  closed.catch(() => undefined);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, closed };
}

/**
 * A socket that asked for /healthz twice and got both answers, then stays open (HTTP keep-alive, as
 * browsers do). Twice: the server reads the second request only once the first answer went out, so the
 * second answer arriving means the server has seen the first one finish.
 */
async function answeredSocket(port: number, localAddress = '127.0.0.2'): Promise<RawSocket> {
  const raw = await silentSocket(port, localAddress);
  raw.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(2));
  let received = '';
  await new Promise<void>((resolve, reject) => {
    raw.socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.split('HTTP/1.1 200').length > 2) resolve();
    });
    raw.socket.once('close', () => reject(new Error('closed without two answers')));
  });
  return raw;
}

const isOpen = (s: RawSocket): boolean => !s.socket.destroyed && s.socket.readyState === 'open';
const metricsText = async (s: SignalServer): Promise<string> => (await fetch(`${s.url}metrics`)).text();

describe('sockets before the WebSocket upgrade', () => {
  it('closes a socket that sends nothing once the idle timeout passes', async () => {
    server = await startServer({ idleTimeoutMs: 150 });
    const silent = await silentSocket(server.port);
    const started = Date.now();
    await silent.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(server.metrics.refused.get('IDLE_TIMEOUT')).toBe(1);
  });

  it('holds N silent sockets from one address and destroys the N+1st', async () => {
    server = await startServer({ maxPendingPerIp: 3 });
    const held = [await silentSocket(server.port), await silentSocket(server.port), await silentSocket(server.port)];
    const excess = await silentSocket(server.port);
    await excess.closed;
    expect(held.every(isOpen)).toBe(true);
    expect(server.metrics.refused.get('PENDING_PER_IP')).toBe(1);
    // A slot freed is a slot available again.
    held[0]!.socket.destroy();
    await held[0]!.closed;
    const again = await silentSocket(server.port);
    const another = await silentSocket(server.port);
    await another.closed;
    expect(isOpen(again)).toBe(true);
    expect(server.metrics.refused.get('PENDING_PER_IP')).toBe(2);
  });

  it('counts upgraded WebSockets in the total cap and destroys sockets past it', async () => {
    server = await startServer({ maxConnections: 3, maxPendingPerIp: 0 });
    const [member] = await joinMany(server, 'total', 1);
    const held = [await silentSocket(server.port), await silentSocket(server.port, '127.0.0.3')];
    const excess = await silentSocket(server.port, '127.0.0.4');
    await excess.closed;
    expect(held.every(isOpen)).toBe(true);
    expect(member!.client.ws.readyState).toBe(member!.client.ws.OPEN);
    expect(server.metrics.refused.get('MAX_CONNECTIONS')).toBe(1);
  });

  it('lets an honest client connect and relay while another address holds its cap of idle sockets', async () => {
    server = await startServer({ maxPendingPerIp: 4 });
    const held: RawSocket[] = [];
    for (let i = 0; i < 4; i++) held.push(await silentSocket(server.port));
    await (await silentSocket(server.port)).closed;
    const [a, b] = await joinMany(server, 'honest', 2);
    a!.client.send({ type: 'signal', to: b!.id, data: { hi: 1 } });
    expect((await b!.client.next('signal')).data).toEqual({ hi: 1 });
    expect(held.every(isOpen)).toBe(true);
  });

  it('stops counting a socket as pending once it upgrades', async () => {
    server = await startServer({ maxPendingPerIp: 1 });
    // Each client's upgrade frees its pending slot before the next one connects.
    const clients = [await connect(server), await connect(server), await connect(server)];
    await clients[2]!.join('upgraded');
    expect(server.metrics.refused.size).toBe(0);
  });

  it('stops counting a socket as pending once it is answered: a page load does not keep its WebSocket out', async () => {
    server = await startServer({ maxPendingPerIp: 2, idleTimeoutMs: 150 });
    // A browser loading the page from 127.0.0.2 keeps its answered sockets open: one more than the cap.
    const answered: RawSocket[] = [];
    for (let i = 0; i < 3; i++) answered.push(await answeredSocket(server.port));
    const page = await connect(server, { localAddress: '127.0.0.2' });
    await page.join('after-page-load');
    // Silent sockets still count, and still meet the cap and the idle timeout; answered ones meet neither.
    const silent = [await silentSocket(server.port), await silentSocket(server.port)];
    await (await silentSocket(server.port)).closed;
    await Promise.all(silent.map((s) => s.closed));
    expect(answered.every(isOpen)).toBe(true);
    expect(Object.fromEntries(server.metrics.refused)).toEqual({ PENDING_PER_IP: 1, IDLE_TIMEOUT: 2 });
  });

  it('holds answered sockets from one address up to ANSWERED_PER_PENDING times the cap, and destroys the next one', async () => {
    server = await startServer({ maxPendingPerIp: 1 });
    const held: RawSocket[] = [];
    for (let i = 0; i < ANSWERED_PER_PENDING; i++) held.push(await answeredSocket(server.port));
    const excess = await silentSocket(server.port);
    await excess.closed;
    expect(held.every(isOpen)).toBe(true);
    expect(Object.fromEntries(server.metrics.refused)).toEqual({ PENDING_PER_IP: 1 });
  });

  it('reports open, pending and refused sockets in /metrics', async () => {
    server = await startServer({ maxPendingPerIp: 2 });
    await silentSocket(server.port);
    await silentSocket(server.port);
    await (await silentSocket(server.port)).closed;
    const text = await metricsText(server);
    expect(text).toContain('shoal_sockets_refused_total{reason="PENDING_PER_IP"} 1');
    // The two silent sockets and the one carrying this request.
    expect(text).toMatch(/^shoal_sockets 3$/m);
    expect(text).toMatch(/^shoal_sockets_pending 3$/m);
  });

  it('logs refused sockets at most once per interval per reason', async () => {
    const lines: object[] = [];
    const noop = (): void => undefined;
    const log: Log = { error: noop, info: noop, debug: noop, warn: (obj) => lines.push(obj) };
    server = await startServer({ maxPendingPerIp: 1 }, { log });
    await silentSocket(server.port);
    for (let i = 0; i < 5; i++) await (await silentSocket(server.port)).closed;
    expect(server.metrics.refused.get('PENDING_PER_IP')).toBe(5);
    expect(lines).toEqual([expect.objectContaining({ reason: 'PENDING_PER_IP', ip: '127.0.0.2', suppressed: 0 })]);
  });
});
