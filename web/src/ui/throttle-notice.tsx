import { useEffect, useState } from 'preact/hooks';

export interface ThrottleNoticeProps {
  /** The room's counters; `authorThrottledDropped` counts messages held back by per-author budgets. */
  counters(): Readonly<Record<string, number>>;
  refreshMs?: number;
}

/**
 * One line saying that messages of a member sending too fast were held back (the mesh's per-author
 * budgets), so a reader does not take the gap for a broken room. Polls the counters: the mesh's
 * `author-throttled` event would name the author, but reaching the view through it needs the room and
 * state layers (left to the protocol-v2 merge).
 */
export function ThrottleNotice({ counters, refreshMs = 2000 }: ThrottleNoticeProps) {
  const [held, setHeld] = useState(0);
  useEffect(() => {
    const read = () => setHeld(counters().authorThrottledDropped ?? 0);
    read();
    const timer = setInterval(read, refreshMs);
    return () => clearInterval(timer);
  }, [counters, refreshMs]);
  if (held === 0) return null;
  return (
    <p role="status" class="hint throttle-notice">
      {held} {held === 1 ? 'message' : 'messages'} from a member sending too fast {held === 1 ? 'was' : 'were'} held back.
    </p>
  );
}
