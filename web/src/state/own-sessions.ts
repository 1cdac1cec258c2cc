import * as v from 'valibot';

/** sessionStorage key of this tab's session ids (one per page load), newest last. */
export const SESSIONS_KEY = 'shoal.sessions';
/** Session ids kept per tab; older ones stop being marked own. */
export const MAX_REMEMBERED_SESSIONS = 32;

const SessionSchema = v.pipe(v.string(), v.maxLength(64));

/**
 * Records `peerId` as a session of this tab and returns all remembered ones. "Own" messages are those
 * authored by this tab's sessions: tabs of one browser share the identity key, yet each is its own
 * participant, and sessionStorage (per tab, kept across reloads) tells them apart.
 */
export function rememberSession(storage: Pick<Storage, 'getItem' | 'setItem'> | null, peerId: string): ReadonlySet<string> {
  let previous: string[] = [];
  try {
    const stored: unknown = JSON.parse(storage?.getItem(SESSIONS_KEY) ?? '[]');
    // Entry by entry: one bad entry must not cost the others (their messages would stop being own).
    if (Array.isArray(stored)) previous = stored.filter((entry): entry is string => v.is(SessionSchema, entry));
  } catch {
    // Unreadable or corrupt: start over with this session.
  }
  const sessions = [...previous.filter((id) => id !== peerId), peerId].slice(-MAX_REMEMBERED_SESSIONS);
  try {
    storage?.setItem(SESSIONS_KEY, JSON.stringify(sessions));
  } catch {
    // Storage refused: own messages of this load are still recognised.
  }
  return new Set(sessions);
}
