/** Most signal servers taken from one URL; the rest are ignored. */
export const MAX_SIGNAL_URLS = 8;

/** Where a room was opened: the page's `location`, or the room link given to the Node peer. */
export interface SignalOrigin {
  protocol: string;
  host: string;
  search: string;
}

/**
 * A ws/wss URL with a host: what a WebSocket can dial. A pattern rather than `new URL` because shared
 * compiles without DOM or Node types; the WebSocket itself still rejects what slips through.
 */
const WEBSOCKET_URL = /^wss?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/;

/**
 * The signal servers to try, in order. `?signal=wss://a,wss://b` in the page URL wins; else the page
 * config, the `content` of `<meta name="shoal-signal">` in index.html (same comma list, set by whoever
 * deploys the app); else the page's own origin (the signal server serves the app), `ws:` or `wss:` to
 * match the page. Entries that are not ws/wss URLs are dropped; an empty list falls to the next source.
 */
export function signalUrls(location: SignalOrigin, pageConfig: string | null = null): string[] {
  const fromParam = parseSignalList(queryParam(location.search, 'signal'));
  if (fromParam.length > 0) return fromParam;
  const fromPage = parseSignalList(pageConfig);
  if (fromPage.length > 0) return fromPage;
  return [`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/`];
}

/** A comma-separated list of signal servers; entries that are not ws/wss URLs are dropped. */
export function parseSignalList(list: string | null): string[] {
  if (!list) return [];
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => WEBSOCKET_URL.test(part))
    .slice(0, MAX_SIGNAL_URLS);
}

/** The first value of `name` in a `?a=b&c=d` query (form-decoded), or null. */
function queryParam(search: string, name: string): string | null {
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (decode(key) !== name) continue;
    return eq < 0 ? '' : decode(pair.slice(eq + 1));
  }
  return null;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return '';
  }
}
