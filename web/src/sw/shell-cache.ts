/**
 * What the service worker keeps for offline use: the app shell (index.html, its assets and the lazily
 * loaded room code) — never messages, which live in IndexedDB. Pure, so it is tested without a worker.
 */

/** Bump when the caching rules change: older caches are deleted on activation. */
export const SHELL_CACHE = 'shoal-shell-v1';
/** Files fetched at most while walking the shell at install (the app has a handful). */
export const MAX_SHELL_FILES = 64;
/** Files always kept besides the assets. */
export const SHELL_ROOTS: readonly string[] = ['/', '/manifest.webmanifest', '/icon.svg'];

/** How a same-origin GET is answered. */
export type Strategy = 'network-first' | 'cache-first' | 'none';

/**
 * The page ('/', routes live in the hash) goes to the network first so a deploy shows at once, and
 * falls back to the cached shell offline. Hashed assets never change: cache first.
 */
export function strategyFor(url: URL, origin: string, method: string, navigate: boolean): Strategy {
  if (method !== 'GET' || url.origin !== origin) return 'none';
  if (navigate || url.pathname === '/' || url.pathname === '/index.html') return 'network-first';
  if (url.pathname.startsWith('/assets/') || SHELL_ROOTS.includes(url.pathname)) return 'cache-first';
  return 'none';
}

/** Asset paths named in an HTML page or a script ("/assets/x-1a2b.js", "assets/y.css"), each once. */
export function assetPaths(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/\/?assets\/[\w.-]+\.(?:js|css)/g)) found.add(match[0].startsWith('/') ? match[0] : `/${match[0]}`);
  return [...found];
}
