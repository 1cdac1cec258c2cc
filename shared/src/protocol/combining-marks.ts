/**
 * Combining marks kept after one base character. Real scripts stack few: Vietnamese uses two, Hebrew
 * with cantillation and Tibetan stacks reach three or four. "Zalgo" text stacks hundreds, and each
 * one raises the line box until a single row is thousands of pixels tall.
 */
export const MAX_COMBINING_MARKS = 4;

// A base's run of marks; the first `max` survive. Built per limit: regexes with /g keep state.
const markRun = (max: number) => new RegExp(`(\\p{M}{${max}})\\p{M}+`, 'gu');
const DEFAULT_RUN = markRun(MAX_COMBINING_MARKS);

/** `text` with every run of combining marks cut to its first `max` marks (display only; pure). */
export function capCombiningMarks(text: string, max = MAX_COMBINING_MARKS): string {
  if (max < 1) return text.replace(/\p{M}+/gu, '');
  return text.replace(max === MAX_COMBINING_MARKS ? DEFAULT_RUN : markRun(max), '$1');
}
