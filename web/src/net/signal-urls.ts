/** Most signal servers taken from one URL; the rest are ignored. */
export const MAX_SIGNAL_URLS = 8;

/**
 * The signal servers to try, in order. `?signal=wss://a,wss://b` in the page URL wins; else the page
 * config, the `content` of `<meta name="shoal-signal">` in index.html (same comma list, set by whoever
 * deploys the app); else the page's own origin (the signal server serves the app), `ws:` or `wss:` to
 * match the page. Entries that are not ws/wss URLs are dropped; an empty list falls to the next source.
 */
export function signalUrls(location: Pick<Location, 'protocol' | 'host' | 'search'>, pageConfig: string | null = null): string[] {
  const fromParam = parseList(new URLSearchParams(location.search).get('signal'));
  if (fromParam.length > 0) return fromParam;
  const fromPage = parseList(pageConfig);
  if (fromPage.length > 0) return fromPage;
  return [`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/`];
}

function parseList(list: string | null): string[] {
  if (!list) return [];
  return list
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
}
