import { DEFAULT_RETENTION } from '../store/retention';

/** localStorage key prefix of a room's retention limit (events kept), per room. */
export const HISTORY_LIMIT_PREFIX = 'shoal.keep.';

/** The events this browser keeps of `room`: the stored choice, else the default (storage may hold anything). */
export function loadHistoryLimit(storage: Pick<Storage, 'getItem'> | null, room: string): number {
  try {
    const value = Number(storage?.getItem(HISTORY_LIMIT_PREFIX + room));
    return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_RETENTION.maxEvents;
  } catch {
    return DEFAULT_RETENTION.maxEvents;
  }
}

export function saveHistoryLimit(storage: Pick<Storage, 'setItem'> | null, room: string, limit: number): void {
  try {
    storage?.setItem(HISTORY_LIMIT_PREFIX + room, String(limit));
  } catch {
    // Refused (private browsing, full quota): the limit holds for this visit.
  }
}
