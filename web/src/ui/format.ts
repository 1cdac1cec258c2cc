/** Clock time of a message, in the reader's locale ("14:05"); the date too when not today. */
export function formatTime(ms: number, now = Date.now()): string {
  const date = new Date(ms);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

/** A fingerprint short enough for a list, long enough to tell two people apart at a glance. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 9);
}
