/** Most signal servers taken from one URL; the rest are ignored. */
export const MAX_SIGNAL_URLS = 8;

/**
 * The signal servers to try, in order. Default: the page's own origin (the signal server serves the app),
 * `ws:` or `wss:` to match the page. `?signal=wss://a,wss://b` overrides it with a list; entries that
 * are not ws/wss URLs are dropped, and an empty result falls back to the default.
 */
export function signalUrls(location: Pick<Location, 'protocol' | 'host' | 'search'>): string[] {
  const fallback = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/`;
  const param = new URLSearchParams(location.search).get('signal');
  if (!param) return [fallback];
  const urls = param
    .split(',')
    .map((part) => part.trim())
    .filter((part) => {
      try {
        const url = new URL(part);
        return url.protocol === 'ws:' || url.protocol === 'wss:';
      } catch {
        return false;
      }
    })
    .slice(0, MAX_SIGNAL_URLS);
  return urls.length > 0 ? urls : [fallback];
}
