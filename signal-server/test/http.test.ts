import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignalServer } from '../src/create-server';
import { connect, joinMany, startServer } from './helpers';

let server: SignalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as sent, before any decoding. */
  raw: Buffer;
}

/** A raw GET: `path` goes on the wire as written (no client-side normalization of `..`). */
function get(s: SignalServer, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
      });
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function webApp(): string {
  const outside = mkdtempSync(join(tmpdir(), 'shoal-web-'));
  writeFileSync(join(outside, 'secret.txt'), 'do not serve');
  const root = join(outside, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Shoal</title>');
  writeFileSync(join(root, 'assets', 'index-3f9a1c.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-77aa00.css'), 'body{}');
  writeFileSync(join(root, 'icon.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'app-5e1f00.js'), BIG_SCRIPT);
  return root;
}

const BIG_SCRIPT = Array.from({ length: 200 }, (_, i) => `export const value${i} = ${i} * 2;`).join('\n');

describe('http', () => {
  it('serves the web app with content types and cache headers', async () => {
    server = await startServer({ staticDir: webApp() });
    const index = await get(server, '/');
    expect(index).toMatchObject({ status: 200, body: '<!doctype html><title>Shoal</title>' });
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    const js = await get(server, '/assets/index-3f9a1c.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get(server, '/assets/index-77aa00.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await get(server, '/icon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
    const head = await get(server, '/assets/index-3f9a1c.js', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('14');
  });

  it('compresses text files the client accepts compressed, brotli first, and leaves small ones alone', async () => {
    const root = webApp();
    server = await startServer({ staticDir: root });
    const br = await get(server, '/assets/app-5e1f00.js', 'GET', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.raw.length);
    expect(br.raw.length).toBeLessThan(BIG_SCRIPT.length / 3);
    expect(brotliDecompressSync(br.raw).toString('utf8')).toBe(BIG_SCRIPT);
    const gz = await get(server, '/assets/app-5e1f00.js', 'GET', { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.raw).toString('utf8')).toBe(BIG_SCRIPT);
    const plainReply = await get(server, '/assets/app-5e1f00.js');
    expect(plainReply.headers['content-encoding']).toBeUndefined();
    expect(plainReply.body).toBe(BIG_SCRIPT);
    const head = await get(server, '/assets/app-5e1f00.js', 'HEAD', { 'accept-encoding': 'br' });
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe(br.headers['content-length']);
    const small = await get(server, '/assets/index-3f9a1c.js', 'GET', { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('console.log(1)');
    // A file edited in place is compressed afresh, not served from the old copy.
    writeFileSync(join(root, 'assets', 'app-5e1f00.js'), `${BIG_SCRIPT}\n// edited`);
    const edited = await get(server, '/assets/app-5e1f00.js', 'GET', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(edited.raw).toString('utf8')).toBe(`${BIG_SCRIPT}\n// edited`);
  });

  it('falls back to index.html for navigation paths only', async () => {
    server = await startServer({ staticDir: webApp() });
    const nav = await get(server, '/room/lobby');
    expect(nav.status).toBe(200);
    expect(nav.body).toContain('<title>Shoal</title>');
    expect((await get(server, '/assets/missing-123.js')).status).toBe(404);
    expect((await get(server, '/favicon.ico')).status).toBe(404);
    expect((await get(server, '/', 'POST')).status).toBe(405);
  });

  it('refuses path traversal in every spelling', async () => {
    server = await startServer({ staticDir: webApp() });
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/a%00.js']) {
      const reply = await get(server, path);
      expect(reply.body, path).not.toContain('do not serve');
      expect(reply.status, path).toBe(404);
    }
    expect((await get(server, '/%E0%A4%A')).status).toBe(400);
  });

  it('reports health as JSON', async () => {
    server = await startServer();
    await joinMany(server, 'h', 2);
    const reply = await get(server, '/healthz');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(JSON.parse(reply.body)).toMatchObject({ status: 'ok', connections: 2, rooms: 1, uptimeS: expect.any(Number) });
  });

  it('exposes Prometheus metrics for connections, frames, errors and closes', async () => {
    server = await startServer({}, { rss: () => 12345 });
    const [a, b] = await joinMany(server, 'm', 2);
    a!.client.send({ type: 'signal', to: b!.id, data: {} });
    await b!.client.next('signal');
    a!.client.send('garbage');
    await a!.client.next('error');
    b!.client.ws.close(1000);
    await b!.client.closed;
    await a!.client.next('peer-left');
    const text = (await get(server, '/metrics')).body;
    expect(text).toContain('# TYPE shoal_connections gauge');
    expect(text).toMatch(/^shoal_connections 1$/m);
    expect(text).toMatch(/^shoal_rooms 1$/m);
    expect(text).toMatch(/^shoal_peers 1$/m);
    expect(text).toMatch(/^shoal_frames_received_total 4$/m);
    expect(text).toMatch(/^shoal_frames_relayed_total 1$/m);
    expect(text).toMatch(/^shoal_errors_total\{code="BAD_JSON"\} 1$/m);
    expect(text).toMatch(/^shoal_closes_total\{code="1000"\} 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes 12345$/m);
  });
});

/** Opens a WebSocket by hand and then ignores everything, including the server's close frame. */
function deafSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.write(
        'GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.once('data', (chunk) => (chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error('no upgrade'))));
    socket.on('error', () => undefined);
  });
}

describe('graceful shutdown', () => {
  it('closes every socket with 1001 SERVER_SHUTDOWN and stops accepting', async () => {
    const s = await startServer();
    const [a, b] = await joinMany(s, 'down', 2);
    const closing = s.close();
    expect(await a!.client.closed).toEqual({ code: 1001, reason: 'SERVER_SHUTDOWN' });
    expect((await b!.client.closed).code).toBe(1001);
    await closing;
    await expect(connect(s)).rejects.toThrow();
  });

  it('terminates sockets that ignore the close handshake once the grace period ends', async () => {
    const s = await startServer({ shutdownGraceMs: 200 });
    const deaf = await deafSocket(s.port);
    const ended = new Promise<void>((resolve) => deaf.on('close', () => resolve()));
    const started = Date.now();
    await s.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});
