import { render } from 'preact';
import { browserSocket, preopenedSocket } from './net/browser-socket';
import { pageSignalUrls } from './room/page-config';
import { parseRoute } from './state/route';
import { App } from './ui/app';
import './ui/styles.css';
import { markStage } from './room/formation-marks';

markStage('main');

// A room link: fetch and evaluate the room code (the bulk of the JavaScript) while the first render
// runs, rather than from the loader's effect after it. Failures surface there, where they are shown.
const route = parseRoute(location.hash);
if (route.kind === 'room') import('./room/open-room').catch(() => undefined);
// A public room's link: the socket to the signal server opens meanwhile too (see preopenedSocket).
const firstSignalUrl = route.kind === 'room' && !route.private ? pageSignalUrls()[0] : undefined;
const openSocket = firstSignalUrl === undefined ? browserSocket : preopenedSocket(firstSignalUrl);

/**
 * Offline use: the service worker keeps the app shell (history stays in IndexedDB). It registers this
 * long after load, not while a room forms: its install fetches every asset again, and once it claims
 * the page every request of the page goes through it (issue 14). Offline use needs it only later.
 */
const SERVICE_WORKER_DELAY_MS = 5_000;

// Built apps only: under the dev server it would cache modules that change on every save.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    setTimeout(() => {
      navigator.serviceWorker.register('/sw.js').catch((error: unknown) => console.warn('offline support unavailable:', error));
    }, SERVICE_WORKER_DELAY_MS);
  });
}

const root = document.getElementById('app');
if (root) render(<App openSocket={openSocket} />, root);
