import { normalizeDisplayName } from '@shoal/shared';

/** Names offered at most when the reader types "@". */
export const MAX_MENTION_CHOICES = 6;
/** Characters after "@" still read as a mention being typed (names are at most 40). */
const MAX_QUERY_CHARS = 40;

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Whether `body` mentions `name` ("@Ada", case-insensitive, as a whole name: "@Adam" does not mention
 * Ada). Both sides are normalized as displayed, so invisible characters cannot hide or fake a mention.
 */
export function mentionsName(body: string, name: string): boolean {
  const wanted = normalizeDisplayName(name).toLocaleLowerCase();
  if (wanted === '') return false;
  const text = normalizeDisplayName(body).toLocaleLowerCase();
  for (let at = text.indexOf(`@${wanted}`); at >= 0; at = text.indexOf(`@${wanted}`, at + 1)) {
    const before = text[at - 1];
    const after = text[at + 1 + wanted.length];
    if ((before === undefined || !WORD.test(before)) && (after === undefined || !WORD.test(after))) return true;
  }
  return false;
}

/**
 * mentionsName against one reader's name, remembered per message: a log re-renders on every arrival,
 * and normalizing every body it shows each time made an arrival cost grow with the log (~5 µs a row:
 * a millisecond at 200 rows, in every open tab). Messages are immutable, so a result never goes stale;
 * a new name needs a new memo.
 */
export function mentionMemo(name: string): (message: { body: string }) => boolean {
  const known = new WeakMap<object, boolean>();
  return (message) => {
    let mentions = known.get(message);
    if (mentions === undefined) {
      mentions = mentionsName(message.body, name);
      known.set(message, mentions);
    }
    return mentions;
  };
}

/** The "@query" being typed just before the caret, or null (an "@" inside a word, like an address, is not one). */
export function mentionQuery(draft: string, caret: number): { start: number; query: string } | null {
  const start = draft.lastIndexOf('@', caret - 1);
  if (start < 0 || caret - start - 1 > MAX_QUERY_CHARS) return null;
  const before = draft[start - 1];
  if (before !== undefined && !/\s/.test(before)) return null;
  const query = draft.slice(start + 1, caret);
  return /\s/.test(query) ? null : { start, query };
}

/** Distinct room names starting with `query` (case-insensitive), in the order given, at most MAX_MENTION_CHOICES. */
export function mentionChoices(query: string, names: readonly string[]): string[] {
  const wanted = query.toLocaleLowerCase();
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = normalizeDisplayName(raw);
    const key = name.toLocaleLowerCase();
    if (name === '' || seen.has(key) || !key.startsWith(wanted)) continue;
    seen.add(key);
    out.push(name);
    if (out.length === MAX_MENTION_CHOICES) break;
  }
  return out;
}
