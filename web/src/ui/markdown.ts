/**
 * Light markdown for message bodies: **bold**, *italic*, `code`, fenced code blocks, `> quote` lines
 * and bare http(s) links. The output is a small tree the UI turns into elements, never an HTML string,
 * so nothing a peer writes is ever parsed as HTML. Parsing is linear in the text (see `closer`): a
 * 16,000-character line of unclosed markers costs no more than plain text.
 */

export type Inline =
  | { t: 'text'; text: string }
  | { t: 'code'; text: string }
  | { t: 'bold' | 'italic'; children: Inline[] }
  | { t: 'link'; href: string; text: string };

export type Block = { t: 'para' | 'quote'; children: Inline[] } | { t: 'code-block'; text: string };

/** Emphasis nested deeper than this stays literal text: bounds recursion and the element tree. */
export const MAX_EMPHASIS_DEPTH = 3;

const FENCE = '```';
/** A bare link: scheme, then anything up to whitespace or characters that never end a URL in prose. */
const URL_AT = /https?:\/\/[^\s<>"'`]+/y;
/** Punctuation that usually ends the sentence, not the URL. */
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Splits a body into blocks: fenced code (unclosed runs to the end), quote lines, and the rest. */
export function parseMarkdown(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (para.length > 0) blocks.push({ t: 'para', children: parseInline(para.join('\n')) });
    if (quote.length > 0) blocks.push({ t: 'quote', children: parseInline(quote.join('\n')) });
    para = [];
    quote = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trimStart().startsWith(FENCE)) {
      flush();
      const code: string[] = [];
      // The info string after the opening fence (a language name) is not shown.
      for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(FENCE); i++) code.push(lines[i] ?? '');
      blocks.push({ t: 'code-block', text: code.join('\n') });
      continue;
    }
    if (line.startsWith('>')) {
      if (para.length > 0) flush();
      quote.push(line.replace(/^> ?/, ''));
      continue;
    }
    if (quote.length > 0) flush();
    para.push(line);
  }
  flush();
  return blocks;
}

/** Inline markup of one block. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const emit = (node: Inline) => {
    if (plain) out.push({ t: 'text', text: plain });
    plain = '';
    out.push(node);
  };
  // Once a search for a marker's closer from position p failed, every later search fails too: remember
  // it, so n unclosed markers cost O(n), not O(n²).
  const noCloserFrom = new Map<string, number>();
  let lone: Int32Array | null = null;
  const closer = (marker: string, from: number): number => {
    if (marker === '*') {
      // An italic closes at a lone asterisk: one inside "**" belongs to a bold nested in it.
      lone ??= nextLoneStar(text);
      return lone[from] ?? -1;
    }
    if (from >= (noCloserFrom.get(marker) ?? Infinity)) return -1;
    const at = text.indexOf(marker, from);
    if (at < 0) noCloserFrom.set(marker, from);
    return at;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '`') {
      const end = closer('`', i + 1);
      if (end > i + 1) {
        emit({ t: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (ch === '*' && depth < MAX_EMPHASIS_DEPTH) {
      const marker = text[i + 1] === '*' ? '**' : '*';
      const start = i + marker.length;
      // Markers hug their text ("*a*", not "* a *"): stray asterisks in prose stay asterisks.
      if (start < text.length && !/\s/.test(text[start] ?? ' ')) {
        const end = closer(marker, start + 1);
        if (end > start && !/\s/.test(text[end - 1] ?? ' ')) {
          emit({ t: marker === '**' ? 'bold' : 'italic', children: parseInline(text.slice(start, end), depth + 1) });
          i = end + marker.length;
          continue;
        }
      }
    } else if (ch === 'h' && (i === 0 || /[\s(]/.test(text[i - 1] ?? ''))) {
      URL_AT.lastIndex = i;
      const match = URL_AT.exec(text);
      const href = match ? safeHref(match[0].replace(TRAILING, '')) : null;
      if (match && href) {
        const shown = match[0].replace(TRAILING, '');
        emit({ t: 'link', href, text: shown });
        i += shown.length;
        continue;
      }
    }
    plain += ch;
    i++;
  }
  if (plain) out.push({ t: 'text', text: plain });
  return out;
}

/**
 * For each position, the index of the next asterisk that can close an italic (-1 when none): no
 * asterisk beside it and text right before it ("a *b" opens, "b* a" closes). One pass.
 */
function nextLoneStar(text: string): Int32Array {
  const next = new Int32Array(text.length + 1).fill(-1);
  for (let i = text.length - 1; i >= 0; i--) {
    const before = text[i - 1];
    const isLone = text[i] === '*' && before !== '*' && text[i + 1] !== '*' && before !== undefined && !/\s/.test(before);
    next[i] = isLone ? i : (next[i + 1] ?? -1);
  }
  return next;
}

/** The URL as a link target when it parses as http(s); anything else (javascript:, data:) stays text. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
