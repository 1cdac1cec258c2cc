import { capCombiningMarks } from '@shoal/shared';

/** Lines of a message shown before "Show more". */
export const MAX_COLLAPSED_LINES = 12;
/** Characters shown before "Show more": one unbroken line of 4,000 characters wraps into dozens. */
export const MAX_COLLAPSED_CHARS = 1000;
/** Empty lines in a row kept for display; longer runs are squeezed (3,000 newlines are no message). */
export const MAX_BLANK_LINES = 2;

/** A message body prepared for the log. */
export interface BodyForDisplay {
  /** The whole body as shown expanded: combining-mark runs capped, long runs of empty lines squeezed. */
  full: string;
  /** What shows collapsed: at most MAX_COLLAPSED_LINES lines and MAX_COLLAPSED_CHARS characters of `full`. */
  preview: string;
  /** `preview` is shorter than `full`: the row offers "Show more". */
  truncated: boolean;
}

const BLANK_RUN = new RegExp(`\\n(?:[^\\S\\n]*\\n){${MAX_BLANK_LINES + 1},}`, 'g');
const KEPT_BLANKS = '\n'.repeat(MAX_BLANK_LINES + 1);

/**
 * A peer's text as the log shows it, display only (the stored message is untouched). Rows stay
 * bounded whatever the sender typed; the text itself still renders as a JSX text node.
 */
export function bodyForDisplay(text: string): BodyForDisplay {
  const full = capCombiningMarks(text.replace(/\r\n?/g, '\n')).replace(BLANK_RUN, KEPT_BLANKS).trimEnd();
  let end = Math.min(full.length, MAX_COLLAPSED_CHARS);
  let lineBreak = -1;
  for (let line = 0; line < MAX_COLLAPSED_LINES; line++) {
    lineBreak = full.indexOf('\n', lineBreak + 1);
    if (lineBreak < 0) break;
  }
  if (lineBreak >= 0) end = Math.min(end, lineBreak);
  // Never end between the halves of a surrogate pair (half an emoji shows as a replacement box).
  const last = full.charCodeAt(end - 1);
  if (end < full.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
  const preview = full.slice(0, end).trimEnd();
  return { full, preview, truncated: preview.length < full.length };
}
