import { normalizeDisplayName } from '@shoal/shared';

/**
 * An Intl.DateTimeFormat in the reader's locale, built on its first use (or by prepareDateFormats) and
 * then kept. Kept, because toLocaleTimeString builds a new one on every call, which dominated the cost of
 * rendering a log of a few hundred messages. Not built when the room page's code loads: the first ones of
 * a page load the locale's calendar data, and there six of them held up that code's evaluation by 60-560
 * ms in a forming 8-tab room (issue 14), before the page could render.
 */
export function lazyDateFormat(options: Intl.DateTimeFormatOptions): { format(date: Date): string } {
  let built: Intl.DateTimeFormat | undefined;
  const build = () => (built ??= new Intl.DateTimeFormat(undefined, options));
  unbuiltDateFormats.push(build);
  return { format: (date) => build().format(date) };
}

const unbuiltDateFormats: Array<() => unknown> = [];

/**
 * Builds every date format not built yet. The room page calls it after its first paint: built on first
 * use instead, they made each tab's first message shown ~60-90 ms slower (bench:mesh chat p99 85 → 150 ms).
 */
export function prepareDateFormats(): void {
  for (const build of unbuiltDateFormats.splice(0)) build();
}

const TIME = lazyDateFormat({ hour: '2-digit', minute: '2-digit' });
const DAY = lazyDateFormat({ month: 'short', day: 'numeric' });
const DAY_OF_YEAR = lazyDateFormat({ year: 'numeric', month: 'short', day: 'numeric' });
const FULL = lazyDateFormat({ dateStyle: 'full', timeStyle: 'short' });

/**
 * How far a message's claimed send time may lie ahead of this device's clock and still be shown as
 * is. Honest devices' clocks rarely differ by more than seconds; `sentAt` is the sender's claim, and a
 * hostile one can claim any time up to year 10889 (MAX_COUNTER ms).
 */
export const FUTURE_SKEW_MS = 5 * 60_000;

/** A message's send time as the log shows it. */
export interface SentTime {
  /** "14:05" today, "Aug 2 14:05" this year, "Aug 2, 2025 14:05" before; "future" past FUTURE_SKEW_MS. */
  text: string;
  /** The full claimed date, for a tooltip; says when it is ahead of this device's clock. */
  title: string;
  /** The claimed time is more than FUTURE_SKEW_MS ahead of `now`: not to be trusted. */
  future: boolean;
  /** For `<time dateTime>`: ISO 8601, null when the year is outside 0–9999 (not a valid datetime there). */
  dateTime: string | null;
}

/** Formats a claimed send time against the local clock `now`. Pure apart from the reader's locale. */
export function formatSentAt(sentAt: number, now: number): SentTime {
  const date = new Date(sentAt);
  if (!Number.isFinite(date.getTime())) return { text: 'unknown time', title: 'The sender gave no valid time', future: false, dateTime: null };
  const year = date.getFullYear();
  const dateTime = year >= 0 && year <= 9999 ? date.toISOString() : null;
  const full = FULL.format(date);
  if (sentAt - now > FUTURE_SKEW_MS) {
    return { text: 'future', title: `Claimed send time ${full}: ahead of this device's clock, so not to be trusted`, future: true, dateTime };
  }
  const today = new Date(now);
  const day = date.toDateString() === today.toDateString() ? '' : year === today.getFullYear() ? DAY.format(date) : DAY_OF_YEAR.format(date);
  return { text: day ? `${day} ${TIME.format(date)}` : TIME.format(date), title: `Sent ${full}`, future: false, dateTime };
}

/** A fingerprint short enough for a list, long enough to tell two people apart at a glance. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 9);
}

/** What a name shows as when nothing visible is left of it. */
export const ANONYMOUS_NAME = 'Anonymous';

/** A peer-chosen name as shown anywhere in the UI: normalized (normalizeDisplayName), never empty. */
export function displayName(raw: string): string {
  return normalizeDisplayName(raw) || ANONYMOUS_NAME;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** "512 B", "1.5 MB", "2 GB": decimal units, as file managers show sizes; one decimal below 10. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** "1.5 MB/s". */
export const formatSpeed = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;
