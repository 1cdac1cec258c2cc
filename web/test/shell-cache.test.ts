import { describe, expect, it } from 'vitest';
import { assetPaths, strategyFor } from '../src/sw/shell-cache';

const ORIGIN = 'https://shoal.example';
const at = (path: string, origin = ORIGIN) => new URL(path, origin);

describe('service worker shell cache', () => {
  it('answers the page network-first, hashed assets and the shell files cache-first, and nothing else', () => {
    expect(strategyFor(at('/'), ORIGIN, 'GET', true)).toBe('network-first');
    expect(strategyFor(at('/?signal=x'), ORIGIN, 'GET', true)).toBe('network-first');
    expect(strategyFor(at('/assets/open-room-1a2b.js'), ORIGIN, 'GET', false)).toBe('cache-first');
    expect(strategyFor(at('/manifest.webmanifest'), ORIGIN, 'GET', false)).toBe('cache-first');
    // Health checks, metrics, other sites and writes always go to the network.
    expect(strategyFor(at('/healthz'), ORIGIN, 'GET', false)).toBe('none');
    expect(strategyFor(at('/assets/x.js', 'https://cdn.example'), ORIGIN, 'GET', false)).toBe('none');
    expect(strategyFor(at('/'), ORIGIN, 'POST', true)).toBe('none');
  });

  it('finds the asset paths an HTML page or a chunk names, each once', () => {
    const html = '<script type="module" src="/assets/index-AB_c.js"></script><link href="/assets/index-x.css">';
    expect(assetPaths(html)).toEqual(['/assets/index-AB_c.js', '/assets/index-x.css']);
    expect(assetPaths('import("./x");const m=["assets/open-room-1.js","assets/open-room-1.js","assets/room-page-2.js"]')).toEqual([
      '/assets/open-room-1.js',
      '/assets/room-page-2.js',
    ]);
  });
});
