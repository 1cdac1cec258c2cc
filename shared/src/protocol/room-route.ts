import * as v from 'valibot';
import { type RoomName, RoomNameSchema } from './signal-messages';

export type Route = { kind: 'landing'; error: string | null } | { kind: 'room'; room: RoomName; private: boolean };

/** Hash prefix of private rooms: `#p/name` asks for the passphrase, which never goes into a link. */
export const PRIVATE_ROOM_PREFIX = 'p/';

/**
 * The page to show for a location hash: `#room-name` opens that room, `#p/room-name` the private room of
 * that name; no hash is the landing page; an invalid name (the hash is untrusted input from any link)
 * is the landing page with an explanation. The browser and the Node peer read room links alike.
 */
export function parseRoute(hash: string): Route {
  let raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw === '') return { kind: 'landing', error: null };
  const isPrivate = raw.startsWith(PRIVATE_ROOM_PREFIX);
  if (isPrivate) raw = raw.slice(PRIVATE_ROOM_PREFIX.length);
  try {
    raw = decodeURIComponent(raw);
  } catch {
    return { kind: 'landing', error: 'That link does not name a valid room.' };
  }
  const parsed = v.safeParse(RoomNameSchema, raw);
  if (parsed.success) return { kind: 'room', room: parsed.output, private: isPrivate };
  return { kind: 'landing', error: `"${raw.slice(0, 80)}" is not a valid room name: use 1–64 letters, digits, dots, dashes or underscores.` };
}
