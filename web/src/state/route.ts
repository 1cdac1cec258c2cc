import { type RoomName, RoomNameSchema } from '@shoal/shared';
import * as v from 'valibot';

export type Route = { kind: 'landing'; error: string | null } | { kind: 'room'; room: RoomName; private: boolean };

/** Hash prefix of private rooms: `#p/name` asks for the passphrase, which never goes into a link. */
const PRIVATE_PREFIX = 'p/';

/**
 * The page to show for a location hash: `#room-name` opens that room, `#p/room-name` the private room of
 * that name; no hash is the landing page; an invalid name (the hash is untrusted input from any link)
 * is the landing page with an explanation.
 */
export function parseRoute(hash: string): Route {
  let raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw === '') return { kind: 'landing', error: null };
  const isPrivate = raw.startsWith(PRIVATE_PREFIX);
  if (isPrivate) raw = raw.slice(PRIVATE_PREFIX.length);
  try {
    raw = decodeURIComponent(raw);
  } catch {
    return { kind: 'landing', error: 'That link does not name a valid room.' };
  }
  const parsed = v.safeParse(RoomNameSchema, raw);
  if (parsed.success) return { kind: 'room', room: parsed.output, private: isPrivate };
  return { kind: 'landing', error: `"${raw.slice(0, 80)}" is not a valid room name: use 1–64 letters, digits, dots, dashes or underscores.` };
}

const WORDS = ['amber', 'brook', 'coral', 'delta', 'ember', 'fjord', 'grove', 'harbor', 'inlet', 'jade', 'kelp', 'lagoon', 'marsh', 'north', 'opal', 'pearl', 'quartz', 'reef', 'shoal', 'tide', 'umber', 'vale', 'wave', 'zephyr'];

/** A readable random room name like `coral-tide-4821`; `random` returns [0, 1). */
export function randomRoomName(random: () => number): RoomName {
  const word = () => WORDS[Math.floor(random() * WORDS.length)] ?? 'shoal';
  const digits = String(Math.floor(random() * 10_000)).padStart(4, '0');
  return v.parse(RoomNameSchema, `${word()}-${word()}-${digits}`);
}

/** The hash that opens a room. */
export function roomHash(room: RoomName, isPrivate: boolean): string {
  return `#${isPrivate ? PRIVATE_PREFIX : ''}${room}`;
}

/** The link that opens a room on this deployment (query kept: it may carry `?signal=` servers). */
export function roomLink(location: Pick<Location, 'origin' | 'pathname' | 'search'>, room: RoomName, isPrivate = false): string {
  return `${location.origin}${location.pathname}${location.search}${roomHash(room, isPrivate)}`;
}
