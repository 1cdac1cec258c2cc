import type { ViewMessage } from '@shoal/shared';
import { lazyDateFormat } from './format';

/** Messages of one author this close together share one header (name, key, time). */
export const GROUP_GAP_MS = 5 * 60_000;

/** What the log shows, in order: day lines, the "new messages" line, and messages (some grouped). */
export type LogItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: ViewMessage; grouped: boolean };

const DAY_LABEL = lazyDateFormat({ weekday: 'long', month: 'long', day: 'numeric' });
const DAY_LABEL_YEAR = lazyDateFormat({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });

/** Local calendar day of a claimed send time ("" when it is no valid time: such rows start no new day). */
function dayOf(sentAt: number): string {
  const date = new Date(sentAt);
  return Number.isFinite(date.getTime()) ? date.toDateString() : '';
}

/** "Today", "Yesterday", "Monday, December 1" (with the year when not this year). */
export function dayLabel(sentAt: number, now: number): string {
  const date = new Date(sentAt);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return (date.getFullYear() === today.getFullYear() ? DAY_LABEL : DAY_LABEL_YEAR).format(date);
}

/**
 * Lays out the visible messages: a day line where the local day changes, the unread line above
 * `firstUnread`, and consecutive messages of one author (same key and name, within GROUP_GAP_MS, same
 * day, not across the unread line) grouped under the first one's header.
 */
export function layoutLog(messages: readonly ViewMessage[], firstUnread: string | null, now: number): LogItem[] {
  const items: LogItem[] = [];
  let previous: ViewMessage | undefined;
  let previousDay = '';
  for (const message of messages) {
    const day = dayOf(message.sentAt);
    const newDay = day !== '' && day !== previousDay;
    if (newDay) {
      items.push({ kind: 'day', key: `day-${day}`, label: dayLabel(message.sentAt, now) });
      previousDay = day;
    }
    const unreadHere = message.id === firstUnread;
    if (unreadHere) items.push({ kind: 'unread', key: 'unread' });
    const grouped =
      previous !== undefined && !newDay && !unreadHere && !previous.deleted && !message.deleted && previous.publicKey === message.publicKey &&
      previous.name === message.name && message.sentAt - previous.sentAt >= 0 && message.sentAt - previous.sentAt <= GROUP_GAP_MS;
    items.push({ kind: 'message', key: message.id, message, grouped });
    previous = message;
  }
  return items;
}
