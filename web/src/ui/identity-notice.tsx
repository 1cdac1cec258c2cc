import { useState } from 'preact/hooks';
import { shortFingerprint } from './format';

export interface IdentityNoticeProps {
  /** The stored identity was unreadable and a new one was created. */
  replaced: boolean;
  /** The new identity's fingerprint, which others will now see beside this tab's name. */
  fingerprint: string;
}

/** The text of the warning, exported so tests and the page say the same thing. */
export const IDENTITY_REPLACED_TEXT = 'Your stored identity was unreadable; a new one was created.';

/**
 * Tells the reader their identity changed: people in their rooms will see a new key fingerprint and a
 * "name also used by another key" marker beside their name, and should hear why from them.
 */
export function IdentityNotice({ replaced, fingerprint }: IdentityNoticeProps) {
  const [dismissed, setDismissed] = useState(false);
  if (!replaced || dismissed) return null;
  return (
    <div class="notice" role="alert">
      <p>
        {IDENTITY_REPLACED_TEXT} Your new key fingerprint is <span class="fingerprint">{shortFingerprint(fingerprint)}</span>; others
        will see it instead of your old one.
      </p>
      <button type="button" class="ghost" onClick={() => setDismissed(true)}>
        Dismiss
      </button>
    </div>
  );
}
