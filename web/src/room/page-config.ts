import { signalUrls } from '@shoal/shared/link';

/** The `content` of `<meta name="…">` in index.html: deployment settings (see README). */
export function pageConfig(name: string): string | null {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
}

/** The signal servers this page dials, in order (the URL's `?signal=`, the page config, its own origin). */
export function pageSignalUrls(): string[] {
  return signalUrls(location, pageConfig('shoal-signal'));
}
