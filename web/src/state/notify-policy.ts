import { normalizeDisplayName } from '@shoal/shared';
import type { ViewMessage } from '@shoal/shared';
import { mentionsName } from './mentions';

/** Which messages raise a desktop notification while the tab is hidden. */
export type NotifyLevel = 'off' | 'mentions' | 'all';

/** localStorage key of the notification choice (per browser, all rooms). */
export const NOTIFY_KEY = 'shoal.notify';
/** Characters of a message shown in its notification. */
export const NOTIFY_BODY_CHARS = 140;

/** A level from untrusted text (storage, a form field); 'off' for anything else (opt-in). */
export function parseNotifyLevel(value: unknown): NotifyLevel {
  return value === 'mentions' || value === 'all' ? value : 'off';
}

/** The stored choice; 'off' when unset, unreadable or unknown. */
export function loadNotifyLevel(storage: Pick<Storage, 'getItem'> | null): NotifyLevel {
  try {
    return parseNotifyLevel(storage?.getItem(NOTIFY_KEY));
  } catch {
    return 'off';
  }
}

export function saveNotifyLevel(storage: Pick<Storage, 'setItem'> | null, level: NotifyLevel): void {
  try {
    storage?.setItem(NOTIFY_KEY, level);
  } catch {
    // Private browsing or a full quota: the choice holds for this visit.
  }
}

/**
 * The notification for a message that arrived while the tab was hidden, or null: only others' readable
 * text messages, only at the chosen level. The body is plain text (notifications render no markup).
 */
export function notificationFor(
  message: ViewMessage,
  context: { level: NotifyLevel; ownName: string; own: boolean; room: string },
): { title: string; body: string } | null {
  if (context.level === 'off' || context.own || message.kind !== 'text' || message.deleted || message.problem) return null;
  const mention = mentionsName(message.body, context.ownName);
  if (context.level === 'mentions' && !mention) return null;
  const flat = message.body.replace(/\s+/g, ' ').trim();
  const body = flat.length > NOTIFY_BODY_CHARS ? `${flat.slice(0, NOTIFY_BODY_CHARS)}…` : flat;
  // Normalized like every name on screen: no bidi overrides or invisible characters on the desktop either.
  const who = normalizeDisplayName(message.name) || 'Someone';
  return { title: mention ? `${who} mentioned you in #${context.room}` : `${who} in #${context.room}`, body };
}
