import { useEffect, useRef, useState } from 'preact/hooks';
import type { ViewMessage } from '../state/message-codec';
import { quoteText } from './reply-quote';

/** What the composer is doing besides writing a new message: answering one, or replacing an own one. */
export type ComposeMode = { kind: 'reply' | 'edit'; message: ViewMessage } | null;

export interface ComposerProps {
  /** Resolves true when the message was sent. */
  send(body: string, replyTo?: string): Promise<boolean>;
  /** Replaces an own message's text; resolves true when sent. */
  edit(id: string, body: string): Promise<boolean>;
  mode: ComposeMode;
  setMode(mode: ComposeMode): void;
  /** The reader's newest own message that can still be edited (Up arrow in an empty composer). */
  lastOwn(): ViewMessage | undefined;
  /** Called on each keystroke that changes the draft (the typing signal throttles it). */
  onTyping?(): void;
  error: string | null;
  maxLength: number;
  encrypted: boolean;
}

/**
 * Textarea + Send: Enter sends, Shift+Enter inserts a new line, the box grows to a few lines. Replying
 * shows what is answered; editing puts the text in the box (Enter saves); Esc cancels either.
 */
export function Composer({ send, edit, mode, setMode, lastOwn, onTyping, error, maxLength, encrypted }: ComposerProps) {
  const [draft, setDraft] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  /** The unsent draft put aside while editing, given back when the edit ends. */
  const aside = useRef('');
  const editing = mode?.kind === 'edit' ? mode.message : null;

  useEffect(() => {
    if (!mode) return;
    if (mode.kind === 'edit') {
      aside.current = draft;
      setDraft(mode.message.body);
    }
    box.current?.focus();
  }, [mode]);

  const endMode = () => {
    if (editing) setDraft(aside.current);
    aside.current = '';
    setMode(null);
  };

  const submit = async () => {
    const body = draft.replace(/^\s*\n|\s+$/g, '');
    if (body.trim() === '') return;
    // Cleared at once, not after the send resolves: the reader may already be typing the next message,
    // and sends must never be dropped while one is in flight.
    if (editing) {
      endMode();
      if (body !== editing.body && !(await edit(editing.id, body))) setMode({ kind: 'edit', message: editing });
      return;
    }
    const replyTo = mode?.kind === 'reply' ? mode.message.id : undefined;
    setDraft('');
    setMode(null);
    if (!(await send(body, replyTo))) setDraft((current) => (current === '' ? body : current));
  };
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {mode && (
        <p class="compose-mode" id="compose-mode">
          <span>{mode.kind === 'edit' ? 'Editing your message' : `Replying to ${quoteText(mode.message)}`}</span>
          <button type="button" class="ghost" onClick={endMode}>
            {mode.kind === 'edit' ? 'Cancel edit' : 'Cancel reply'}
          </button>
        </p>
      )}
      <label for="composer-text" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-text"
        ref={box}
        rows={1}
        value={draft}
        maxLength={maxLength}
        aria-describedby={mode ? 'compose-mode' : undefined}
        placeholder={encrypted ? 'Write an encrypted message…' : 'Write a message…'}
        onInput={(event) => {
          setDraft(event.currentTarget.value);
          if (!editing && event.currentTarget.value !== '') onTyping?.();
        }}
        onKeyDown={(event) => {
          // isComposing: Enter that confirms an IME candidate must not send.
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            void submit();
          } else if (event.key === 'Escape' && mode) {
            event.preventDefault();
            endMode();
          } else if (event.key === 'ArrowUp' && draft === '' && !mode) {
            const last = lastOwn();
            if (last) {
              event.preventDefault();
              setMode({ kind: 'edit', message: last });
            }
          }
        }}
      />
      <button type="submit" class="primary" disabled={draft.trim() === ''}>
        {editing ? 'Save' : 'Send'}
      </button>
      {error && (
        <p class="error composer-error" role="alert">
          Not sent: {error}
        </p>
      )}
    </form>
  );
}
