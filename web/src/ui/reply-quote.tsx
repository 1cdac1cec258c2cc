import type { ViewMessage } from '@shoal/shared';
import { displayName } from './format';

/** Characters of the original shown in a reply's quote. */
export const QUOTE_CHARS = 80;

/** "Ada: start of the text…" for a quote or the composer's "Replying to" line. */
export function quoteText(original: ViewMessage | undefined): string {
  if (!original) return 'an earlier message';
  if (original.deleted) return 'a deleted message';
  const flat = plainText(original.body).replace(/\s+/g, ' ').trim();
  const start = flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS).trimEnd()}…` : flat;
  return `${displayName(original.name)}: ${start}`;
}

/** A body without its markdown markers, for a one-line quote ("**release**" reads "release"). */
export function plainText(body: string): string {
  return body.replace(/```[^\n]*/g, ' ').replace(/^> ?/gm, '').replace(/\*\*(?=\S)|(?<=\S)\*\*|`/g, '').replace(/(^|[^\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?=[^\w*]|$)/g, '$1');
}

/**
 * The quote above a reply: who and the start of what is answered. Clicking it scrolls to the original
 * and focuses it; an original not loaded (or deleted) gives a quote that does nothing.
 */
export function ReplyQuote({ original }: { original: ViewMessage | undefined }) {
  const text = quoteText(original);
  if (!original || original.deleted) return <p class="quote missing">Reply to {text}</p>;
  const jump = () => {
    const row = document.querySelector<HTMLElement>(`li[data-message-id="${CSS.escape(original.id)}"]`);
    if (!row) return;
    row.scrollIntoView({ block: 'center' });
    row.focus();
  };
  return (
    <button type="button" class="quote" onClick={jump} aria-label={`Go to the quoted message, ${text}`}>
      <span aria-hidden="true">↪ {text}</span>
    </button>
  );
}
