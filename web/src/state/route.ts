import { PRIVATE_ROOM_PREFIX, type RoomName, RoomNameSchema } from '@shoal/shared';
import * as v from 'valibot';

export { type Route, parseRoute } from '@shoal/shared';

const WORDS = ['amber', 'brook', 'coral', 'delta', 'ember', 'fjord', 'grove', 'harbor', 'inlet', 'jade', 'kelp', 'lagoon', 'marsh', 'north', 'opal', 'pearl', 'quartz', 'reef', 'shoal', 'tide', 'umber', 'vale', 'wave', 'zephyr'];

/** A readable random room name like `coral-tide-4821`; `random` returns [0, 1). */
export function randomRoomName(random: () => number): RoomName {
  const word = () => WORDS[Math.floor(random() * WORDS.length)] ?? 'shoal';
  const digits = String(Math.floor(random() * 10_000)).padStart(4, '0');
  return v.parse(RoomNameSchema, `${word()}-${word()}-${digits}`);
}

/** The hash that opens a room. */
export function roomHash(room: RoomName, isPrivate: boolean): string {
  return `#${isPrivate ? PRIVATE_ROOM_PREFIX : ''}${room}`;
}

/** The link that opens a room on this deployment (query kept: it may carry `?signal=` servers). */
export function roomLink(location: Pick<Location, 'origin' | 'pathname' | 'search'>, room: RoomName, isPrivate = false): string {
  return `${location.origin}${location.pathname}${location.search}${roomHash(room, isPrivate)}`;
}
