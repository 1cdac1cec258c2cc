// Formatters are built once: toLocaleTimeString builds a new Intl.DateTimeFormat on every call, which
// dominated the cost of rendering a log of a few hundred messages.
const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** Clock time of a message, in the reader's locale ("14:05"); the date too when not from today. */
export function formatTime(ms: number, now = Date.now()): string {
  const date = new Date(ms);
  const sameDay = date.toDateString() === new Date(now).toDateString();
  return sameDay ? TIME.format(date) : `${DAY.format(date)} ${TIME.format(date)}`;
}

/** A fingerprint short enough for a list, long enough to tell two people apart at a glance. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 9);
}
