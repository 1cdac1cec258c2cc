import { render } from 'preact';
import { parseRoute } from './state/route';
import { App } from './ui/app';
import './ui/styles.css';

// A room link: fetch and evaluate the room code (the bulk of the JavaScript) while the first render
// runs, rather than from the loader's effect after it. Failures surface there, where they are shown.
if (parseRoute(location.hash).kind === 'room') import('./room/open-room').catch(() => undefined);

const root = document.getElementById('app');
if (root) render(<App />, root);
