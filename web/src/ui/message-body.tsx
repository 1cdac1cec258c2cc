import { useMemo, useState } from 'preact/hooks';
import { bodyForDisplay } from './body-for-display';
import { RichText } from './rich-text';

/**
 * A message body as elements built from its light markdown (never HTML, see RichText), collapsed to a few lines with a "Show more" button when
 * long. Expanded, it scrolls inside a bounded box, so no message can make the log thousands of pixels
 * tall.
 */
export function MessageBody({ text, edited = false }: { text: string; edited?: boolean }) {
  const shown = useMemo(() => bodyForDisplay(text), [text]);
  const [expanded, setExpanded] = useState(false);
  if (!shown.truncated) {
    return (
      <div class="body" dir="auto">
        <RichText text={shown.full} />
        {edited && <EditedMark />}
      </div>
    );
  }
  return (
    <>
      <div class={expanded ? 'body expanded' : 'body collapsed'} dir="auto" tabIndex={expanded ? 0 : undefined}>
        <RichText text={expanded ? shown.full : `${shown.preview}…`} />
        {edited && <EditedMark />}
      </div>
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
