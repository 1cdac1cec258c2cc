import { useMemo, useState } from 'preact/hooks';
import { bodyForDisplay } from './body-for-display';

/**
 * A message body as a text node (never HTML), collapsed to a few lines with a "Show more" button when
 * long. Expanded, it scrolls inside a bounded box, so no message can make the log thousands of pixels
 * tall.
 */
export function MessageBody({ text, edited = false }: { text: string; edited?: boolean }) {
  const shown = useMemo(() => bodyForDisplay(text), [text]);
  const [expanded, setExpanded] = useState(false);
  if (!shown.truncated) {
    return (
      <p class="body" dir="auto">
        {shown.full}
        {edited && <EditedMark />}
      </p>
    );
  }
  return (
    <>
      <p class={expanded ? 'body expanded' : 'body collapsed'} dir="auto" tabIndex={expanded ? 0 : undefined}>
        {expanded ? shown.full : `${shown.preview}…`}
        {edited && <EditedMark />}
      </p>
      <button type="button" class="ghost more" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
        {expanded ? 'Show less' : 'Show more'}
      </button>
    </>
  );
}

/** Marks text its author replaced after sending. */
function EditedMark() {
  return <span class="edited"> (edited)</span>;
}
