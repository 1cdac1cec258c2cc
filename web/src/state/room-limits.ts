import { DEFAULT_RETENTION } from '../store/retention';

/** A per-room number a person can set (History and Files panels), kept in localStorage. */
export interface RoomLimit {
  /** localStorage key prefix; the room name follows. */
  prefix: string;
  /** Used when nothing (or nothing valid) is stored. */
  fallback: number;
}

/** Events this browser keeps of a room (the retention limit). */
export const HISTORY_LIMIT: RoomLimit = { prefix: 'shoal.keep.', fallback: DEFAULT_RETENTION.maxEvents };
/** Bytes of files this browser stores for a room. Default 1 GiB. */
export const FILE_QUOTA_LIMIT: RoomLimit = { prefix: 'shoal.files.quota.', fallback: 1024 ** 3 };
/** Largest file this browser shares or fetches in a room. Default 2 GiB. */
export const MAX_FILE_SIZE_LIMIT: RoomLimit = { prefix: 'shoal.files.max.', fallback: 2 * 1024 ** 3 };

/** The stored choice for `room`, else the default (storage may be unavailable or hold anything). */
export function loadRoomLimit(storage: Pick<Storage, 'getItem'> | null, limit: RoomLimit, room: string): number {
  try {
    const value = Number(storage?.getItem(limit.prefix + room));
    return Number.isSafeInteger(value) && value > 0 ? value : limit.fallback;
  } catch {
    return limit.fallback;
  }
}

export function saveRoomLimit(storage: Pick<Storage, 'setItem'> | null, limit: RoomLimit, room: string, value: number): void {
  try {
    storage?.setItem(limit.prefix + room, String(value));
  } catch {
    // Refused (private browsing, full quota): the limit holds for this visit.
  }
}
