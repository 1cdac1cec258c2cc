import { useState } from 'preact/hooks';

export interface ComposerProps {
  /** Resolves true when the message was sent. */
  send(body: string): Promise<boolean>;
  error: string | null;
  maxLength: number;
  encrypted: boolean;
}

/** Textarea + Send: Enter sends, Shift+Enter inserts a new line. */
export function Composer({ send, error, maxLength, encrypted }: ComposerProps) {
  const [draft, setDraft] = useState('');
  const submit = async () => {
    const body = draft.replace(/^\s*\n|\s+$/g, '');
    if (body.trim() === '') return;
    // Cleared at once, not after the send resolves: the reader may already be typing the next message,
    // and sends must never be dropped while one is in flight.
    setDraft('');
    if (!(await send(body))) setDraft((current) => (current === '' ? body : current));
  };
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label for="composer-text" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-text"
        rows={1}
        value={draft}
        maxLength={maxLength}
        placeholder={encrypted ? 'Write an encrypted message…' : 'Write a message…'}
        onInput={(event) => setDraft(event.currentTarget.value)}
        onKeyDown={(event) => {
          // isComposing: Enter that confirms an IME candidate must not send.
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            void submit();
          }
        }}
      />
      <button type="submit" class="primary" disabled={draft.trim() === ''}>
        Send
      </button>
      {error && (
        <p class="error composer-error" role="alert">
          Not sent: {error}
        </p>
      )}
    </form>
  );
}
