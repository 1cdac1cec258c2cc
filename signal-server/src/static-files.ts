import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { acceptedEncoding, createCompressedFiles, isCompressible } from './compressed-files';

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
 * unknown is a 404 (a missing script must not come back as HTML). Text files go out brotli- or
 * gzip-compressed when the client accepts it (a TLS proxy in front may compress too; it leaves
 * already-encoded bodies alone).
 */
export interface StaticFiles {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * Compresses index.html and the assets ahead of the first request (brotli, what browsers ask for),
   * so the first visitors do not wait for it. A missing or unreadable app is left to `handle`.
   */
  warm(): Promise<void>;
}

export function createStaticHandler(root: string): StaticFiles {
  const base = resolve(root);
  const index = resolve(base, 'index.html');
  const compressed = createCompressedFiles();

  async function fileAt(path: string): Promise<{ size: number; mtimeMs: number } | null> {
    try {
      const s = await stat(path);
      return s.isFile() ? { size: s.size, mtimeMs: s.mtimeMs } : null;
    } catch {
      return null;
    }
  }

  async function send(req: IncomingMessage, res: ServerResponse, path: string, file: { size: number; mtimeMs: number }): Promise<void> {
    const contentType = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    const compressible = isCompressible(contentType, file.size);
    const encoding = compressible ? acceptedEncoding(req.headers['accept-encoding']) : null;
    let body: Buffer | null = null;
    if (encoding !== null) {
      try {
        body = await compressed(path, file.size, file.mtimeMs, encoding);
      } catch {
        return plain(res, 404, 'not found');
      }
    }
    res.writeHead(200, {
      'Content-Type': contentType,
      'Content-Length': body?.length ?? file.size,
      'Cache-Control': path.startsWith(base + sep + 'assets' + sep) ? IMMUTABLE : 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      ...(compressible && { Vary: 'Accept-Encoding' }),
      ...(encoding !== null && { 'Content-Encoding': encoding }),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (body !== null) {
      res.end(body);
      return;
    }
    const stream = createReadStream(path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function warmFile(path: string): Promise<void> {
    const file = await fileAt(path);
    if (file && isCompressible(CONTENT_TYPES[extname(path).toLowerCase()] ?? '', file.size)) {
      await compressed(path, file.size, file.mtimeMs, 'br').catch(() => undefined);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    const file = path === base ? null : await fileAt(path);
    if (file !== null) return send(req, res, path, file);
    if (extname(pathname) !== '') return plain(res, 404, 'not found');
    const indexFile = await fileAt(index);
    if (indexFile === null) return plain(res, 404, 'web app not built: run `npm run build`');
    return send(req, res, index, indexFile);
  }

  return {
    handle,
    async warm() {
      const assets = resolve(base, 'assets');
      const names = await readdir(assets).catch(() => []);
      await Promise.all([index, ...names.map((name) => resolve(assets, name))].map(warmFile));
    },
  };
}

export function plain(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache' });
  res.end(body);
}
