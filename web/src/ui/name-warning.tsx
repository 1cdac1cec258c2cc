/** What a flagged name says, on messages and in the peer list alike. */
export const NAME_WARNING_TEXT = 'another key uses this name';
const NAME_WARNING_TITLE =
  'Someone with another key in this room uses a name that looks like this one. Compare key fingerprints: ' +
  'it may be the same person on another device, or someone else. Neither is the real one just for coming first.';

/** The marker beside a name that more than one identity uses (see contestedSkeletons). */
export function NameWarning() {
  return (
    <span class="warn name-warning" title={NAME_WARNING_TITLE}>
      {NAME_WARNING_TEXT}
    </span>
  );
}
