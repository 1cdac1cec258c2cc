import { MAX_SHELL_FILES, SHELL_CACHE, SHELL_ROOTS, assetPaths, strategyFor } from './shell-cache';

/**
 * The service worker: keeps the app shell so Shoal opens offline and shows the history stored in
 * IndexedDB. Built as /sw.js (vite.config.ts). The web workspace compiles against the DOM library, so
 * the few worker types used here are declared by hand rather than mixing in the WebWorker library.
 */
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly location: Location;
}

// The global of a service worker script is its ServiceWorkerGlobalScope.
const worker = self as unknown as WorkerScope;

/** index.html, its assets and the chunks they import (the room code loads lazily): walked, bounded. */
async function cacheShell(): Promise<void> {
  const cache = await caches.open(SHELL_CACHE);
  const queue = [...SHELL_ROOTS];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const path = queue.shift();
    if (path === undefined) break;
    const response = await fetch(path, { cache: 'no-cache' });
    if (!response.ok) continue;
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('html') || type.includes('javascript')) {
      for (const next of assetPaths(await response.clone().text())) {
        if (seen.has(next) || seen.size >= MAX_SHELL_FILES) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    await cache.put(path, response);
  }
}

worker.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== SHELL_CACHE).map((key) => caches.delete(key))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const strategy = strategyFor(url, worker.location.origin, event.request.method, event.request.mode === 'navigate');
  if (strategy === 'network-first') event.respondWith(networkFirst(event.request));
  else if (strategy === 'cache-first') event.respondWith(cacheFirst(event.request));
});

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put('/', response.clone());
    return response;
  } catch (error) {
    const shell = await cache.match('/');
    if (shell) return shell;
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
