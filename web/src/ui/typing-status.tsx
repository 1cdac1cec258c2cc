import type { ReadonlySignal } from '@preact/signals';
import { typingText } from '../state/typing-state';
import { displayName } from './format';

/**
 * "Ada is typing…" under the log. The region is always present (empty when nobody types) so screen
 * readers announce changes to it, politely.
 */
export function TypingStatus({ typers }: { typers: ReadonlySignal<readonly string[]> }) {
  return (
    <p class="typing" role="status" aria-live="polite">
      {typingText(typers.value.map(displayName))}
    </p>
  );
}
