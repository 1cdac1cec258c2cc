import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Vite writes content-hashed file names under /assets/, so they can be cached forever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built web app from `root`: GET/HEAD only; paths that resolve outside `root` are refused;
 * an unknown path without an extension is a client-side route and gets index.html, anything else
 * unknown is a 404 (a missing script must not come back as HTML).
 */
export function createStaticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const base = resolve(root);
  const index = resolve(base, 'index.html');

  async function fileAt(path: string): Promise<number | null> {
    try {
      const s = await stat(path);
      return s.isFile() ? s.size : null;
    } catch {
      return null;
    }
  }

  function send(req: IncomingMessage, res: ServerResponse, path: string, size: number): void {
    const immutable = path.startsWith(base + sep + 'assets' + sep);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': immutable ? IMMUTABLE : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return plain(res, 400, 'bad path');
    }
    const path = resolve(base, '.' + pathname);
    // Checked after decoding and resolving, so %2e%2e and encoded slashes cannot climb out of root.
    if (pathname.includes('\0') || (path !== base && !path.startsWith(base + sep))) return plain(res, 404, 'not found');
    const size = path === base ? null : await fileAt(path);
    if (size !== null) return send(req, res, path, size);
    if (extname(pathname) !== '') return plain(res, 404, 'not found');
    const indexSize = await fileAt(index);
    if (indexSize === null) return plain(res, 404, 'web app not built: run `npm run build`');
    send(req, res, index, indexSize);
  };
}

export function plain(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache' });
  res.end(body);
}
