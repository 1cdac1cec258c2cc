import { remember } from '@shoal/shared';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Below this a compressed body saves less than its headers cost; above it, files are streamed as they are. */
const MIN_BYTES = 1024;
const MAX_BYTES = 1024 * 1024;
/** Compressed bodies kept (so at most 64 MiB of files): the built app has a handful. */
const MAX_ENTRIES = 64;
/** Text formats: images, fonts and wasm are compressed already or gain little. */
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/svg\+xml)/;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The best encoding the client accepts (`Accept-Encoding`), brotli first; null for none. */
export function acceptedEncoding(header: string | undefined): Encoding | null {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase().split(';'))
      .filter(([, q]) => q === undefined || !/^\s*q=0(\.0*)?\s*$/.test(q))
      .map(([name]) => name),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

export function isCompressible(contentType: string, size: number): boolean {
  return size >= MIN_BYTES && size <= MAX_BYTES && COMPRESSIBLE.test(contentType);
}

/**
 * Compressed copies of static files, made on first request and kept in memory, keyed by path, size
 * and modification time: a file edited in place (a deployment's index.html) is compressed afresh.
 * Brotli at quality 5 costs a few ms for the app's largest chunk; quality 11 would take ~100× that.
 */
export function createCompressedFiles(): (path: string, size: number, mtimeMs: number, encoding: Encoding) => Promise<Buffer> {
  const cache = new Map<string, Promise<Buffer>>();
  return (path, size, mtimeMs, encoding) => {
    const key = `${encoding} ${size} ${mtimeMs} ${path}`;
    let body = cache.get(key);
    if (body === undefined) {
      body = readFile(path).then((raw) =>
        encoding === 'br' ? brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }) : gzipAsync(raw),
      );
      // A failed read is not remembered: the next request tries again.
      body.catch(() => cache.delete(key));
      remember(cache, key, body, MAX_ENTRIES);
    }
    return body;
  };
}
