import { normalizeDisplayName } from '@shoal/shared';

/** localStorage key of the display name, remembered across visits and rooms. */
export const NAME_KEY = 'shoal.name';
export const MAX_DISPLAY_NAME_CHARS = 64;

/**
 * The remembered display name, normalized as peers will show it (normalizeDisplayName), or '' (storage
 * may be unavailable or hold anything, control characters included).
 */
export function loadName(storage: Pick<Storage, 'getItem'> | null): string {
  try {
    const value = storage?.getItem(NAME_KEY);
    return typeof value === 'string' ? normalizeDisplayName(value.slice(0, MAX_DISPLAY_NAME_CHARS)) : '';
  } catch {
    return '';
  }
}

export function saveName(storage: Pick<Storage, 'setItem'> | null, name: string): void {
  try {
    storage?.setItem(NAME_KEY, name.slice(0, MAX_DISPLAY_NAME_CHARS));
  } catch {
    // Private browsing or a full quota: the name still works for this visit.
  }
}
