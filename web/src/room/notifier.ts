import type { ViewMessage } from '@shoal/shared';
import { type NotifyLevel, notificationFor } from '../state/notify-policy';

/** Notifications shown per arriving batch at most: a history sync of hundreds must not spam the desktop. */
export const MAX_NOTIFICATIONS_PER_BATCH = 3;

export interface NotifierDeps {
  room: string;
  level(): NotifyLevel;
  ownName(): string;
  isOwn(message: ViewMessage): boolean;
  /** Shows one notification (the page's Notification API once permission is granted). */
  show(title: string, options: { body: string; tag: string }): void;
}

/** Desktop notifications for messages that arrive while the tab is hidden (ChatStateDeps.onArrived). */
export function createNotifier(deps: NotifierDeps): (fresh: readonly ViewMessage[], visible: boolean) => void {
  return (fresh, visible) => {
    if (visible) return;
    let shown = 0;
    for (const message of fresh) {
      const note = notificationFor(message, { level: deps.level(), ownName: deps.ownName(), own: deps.isOwn(message), room: deps.room });
      if (!note) continue;
      // One tag per room: a newer notification replaces the previous one instead of stacking.
      deps.show(note.title, { body: note.body, tag: `shoal-${deps.room}` });
      if (++shown === MAX_NOTIFICATIONS_PER_BATCH) return;
    }
  };
}

/** The browser's Notification API when present and granted, else nothing. */
export function browserNotify(title: string, options: { body: string; tag: string }): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(title, options);
  } catch (error) {
    // Android Chrome refuses the constructor (it wants a service worker registration): not worth a crash.
    console.warn('notification not shown:', error);
  }
}
