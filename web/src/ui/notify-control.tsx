import { useState } from 'preact/hooks';
import { type NotifyLevel, parseNotifyLevel } from '../state/notify-policy';

export interface NotifyControlProps {
  initial: NotifyLevel;
  onChange(level: NotifyLevel): void;
  /** Asks the browser for permission; resolves to its answer. Absent when the browser has no notifications. */
  requestPermission?: () => Promise<NotificationPermission>;
}

/** Opt-in desktop notifications for when the tab is hidden: off, mentions only, or every message. */
export function NotifyControl({ initial, onChange, requestPermission }: NotifyControlProps) {
  const [level, setLevel] = useState<NotifyLevel>(initial);
  const [blocked, setBlocked] = useState(false);
  if (!requestPermission) return null;
  const choose = async (next: NotifyLevel) => {
    setLevel(next);
    onChange(next);
    setBlocked(next !== 'off' && (await requestPermission()) === 'denied');
  };
  return (
    <div class="notify-control">
      <label for="notify-level">Notifications</label>
      <select id="notify-level" value={level} onChange={(event) => void choose(parseNotifyLevel(event.currentTarget.value))}>
        <option value="off">Off</option>
        <option value="mentions">Mentions of me</option>
        <option value="all">Every message</option>
      </select>
      {blocked && <p class="hint error">This browser blocks notifications for this site: allow them in its site settings.</p>}
    </div>
  );
}
