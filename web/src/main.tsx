import { render } from 'preact';
import { browserSocket, preopenedSocket } from './net/browser-socket';
import { pageSignalUrls } from './room/page-config';
import { parseRoute } from './state/route';
import { App } from './ui/app';
import './ui/styles.css';
import { markStage } from './room/formation-marks';
import { roomLull } from './room/room-lull';

markStage('main');

// A room link: fetch and evaluate the room code (the bulk of the JavaScript) while the first render
// runs, rather than from the loader's effect after it. Failures surface there, where they are shown.
const route = parseRoute(location.hash);
if (route.kind === 'room') import('./room/open-room').catch(() => undefined);
// A public room's link: the socket to the signal server opens meanwhile too (see preopenedSocket).
const firstSignalUrl = route.kind === 'room' && !route.private ? pageSignalUrls()[0] : undefined;
const openSocket = firstSignalUrl === undefined ? browserSocket : preopenedSocket(firstSignalUrl);

// Built apps only: under the dev server it would cache modules that change on every save. Offline use:
// the service worker keeps the app shell (history stays in IndexedDB). Its install fetches every asset
// again and, once it claims the page, every request goes through it: it waits for a lull in the room
// (roomLull), not while links form or messages come in. Offline use needs it only later.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  addEventListener('load', () => {
    roomLull.whenQuiet(() => {
      navigator.serviceWorker.register('/sw.js').catch((error: unknown) => console.warn('offline support unavailable:', error));
    });
  });
}

const root = document.getElementById('app');
if (root) render(<App openSocket={openSocket} />, root);
