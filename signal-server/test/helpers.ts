import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PeerId, PROTOCOL_VERSION, type ServerMessage, parseServerMessage, toPeerId } from '@shoal/shared';
import { WebSocket, type ClientOptions } from 'ws';
import { type Config, DEFAULTS } from '../src/config';
import { type ServerDeps, type SignalServer, createServer } from '../src/create-server';

const WAIT_MS = 5_000;

/** A server on an ephemeral port with test-friendly overrides; stop it with `server.close()`. */
export function startServer(overrides: Partial<Config> = {}, deps: Omit<ServerDeps, 'config'> = {}): Promise<SignalServer> {
  const config: Config = { ...DEFAULTS, staticDir: mkdtempSync(join(tmpdir(), 'shoal-static-')), port: 0, logLevel: 'silent', ...overrides };
  return createServer({ ...deps, config });
}

export const newPeerId = (): PeerId => {
  const id = toPeerId(randomUUID());
  if (!id) throw new Error('randomUUID gave a non-UUID');
  return id;
};

/** Resolves when `check` returns a value, polling on every `event`; rejects after WAIT_MS. */
export function waitFor<T>(emitter: WebSocket, event: string, check: () => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const attempt = (): boolean => {
      const value = check();
      if (value === undefined) return false;
      cleanup();
      resolve(value);
      return true;
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, WAIT_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(event, attempt);
    };
    if (!attempt()) emitter.on(event, attempt);
  });
}

export interface TestClient {
  ws: WebSocket;
  /** Every server frame received so far, parsed (a test fails on an unparsable one). */
  messages: ServerMessage[];
  send(frame: unknown): void;
  /** The first received message matching `match` (already received or future). */
  next<T extends ServerMessage['type']>(type: T, match?: (m: Extract<ServerMessage, { type: T }>) => boolean): Promise<Extract<ServerMessage, { type: T }>>;
  closed: Promise<{ code: number; reason: string }>;
  join(room: string, peerId?: PeerId): Promise<Extract<ServerMessage, { type: 'welcome' }>>;
}

export async function connect(server: Pick<SignalServer, 'url'>, options: ClientOptions = {}): Promise<TestClient> {
  const ws = new WebSocket(server.url.replace(/^http/, 'ws'), options);
  const messages: ServerMessage[] = [];
  ws.on('message', (data: Buffer) => {
    const parsed = parseServerMessage(data.toString());
    if (!parsed.ok) throw parsed.error;
    messages.push(parsed.value);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const client: TestClient = {
    ws,
    messages,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame)),
    next: (type, match) =>
      waitFor(ws, 'message', () => messages.find((m): m is Extract<ServerMessage, { type: typeof type }> => m.type === type && (!match || match(m as never))), `a "${type}" frame`),
    async join(room, peerId = newPeerId()) {
      client.send({ type: 'join', v: PROTOCOL_VERSION, room, peerId });
      return client.next('welcome', (m) => m.peerId === peerId);
    },
  };
  return client;
}

/** Connects and joins `n` clients to `room` one after the other. */
export async function joinMany(server: Pick<SignalServer, 'url'>, room: string, n: number): Promise<{ client: TestClient; id: PeerId }[]> {
  const out: { client: TestClient; id: PeerId }[] = [];
  for (let i = 0; i < n; i++) {
    const client = await connect(server);
    const id = newPeerId();
    await client.join(room, id);
    out.push({ client, id });
  }
  return out;
}

/** Polls `check` every 25 ms until it returns a value; rejects after `boundMs` (for state without events). */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, boundMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * GET /healthz of `url` as parsed JSON (tests only read a few fields), on a new connection each time:
 * under --workers each connection may reach another worker, and a kept-alive one would not.
 */
export async function health(url: string): Promise<{ status: string; reason?: string; instance?: string }> {
  const text = await new Promise<string>((resolve, reject) => {
    const req = httpGet(`${url}healthz`, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(WAIT_MS, () => req.destroy(new Error('/healthz timed out')));
  });
  const body: unknown = JSON.parse(text);
  if (typeof body !== 'object' || body === null || typeof (body as { status?: unknown }).status !== 'string') throw new Error('bad /healthz body');
  return body as { status: string; reason?: string; instance?: string };
}
