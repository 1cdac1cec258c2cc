import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ViewMessage } from '@shoal/shared';
import { MENTION_LIST_ID, MentionList, useMentionPicker } from './mention-picker';
import { PaperclipIcon } from './paperclip-icon';
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
  /** Names of the room, newest speakers first, offered after "@". Default: none. */
  names?(): readonly string[];
  error: string | null;
  maxLength: number;
  encrypted: boolean;
  /** Shares files picked, pasted or dropped; without it the composer offers no attachments. */
  attach?(files: File[]): void;
}

/**
 * Textarea + Send: Enter sends, Shift+Enter inserts a new line, the box grows to a few lines. Replying
 * shows what is answered; editing puts the text in the box (Enter saves); Esc cancels either.
 */
export function Composer({ send, edit, mode, setMode, lastOwn, onTyping, names, error, maxLength, encrypted, attach }: ComposerProps) {
  const [draft, setDraft] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  /** The unsent draft put aside while editing, given back when the edit ends. */
  const aside = useRef('');
  const editing = mode?.kind === 'edit' ? mode.message : null;
  const mentions = useMentionPicker(names ?? (() => []));
  /** Where the caret goes after a name was inserted (set once the new draft is rendered). */
  const caretAfter = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caretAfter.current === null || !box.current) return;
    box.current.setSelectionRange(caretAfter.current, caretAfter.current);
    caretAfter.current = null;
  }, [draft]);
  const insert = ({ draft: next, caret }: { draft: string; caret: number }) => {
    caretAfter.current = caret;
    setDraft(next);
  };

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
      <MentionList picker={mentions} pick={(name) => insert(mentions.choose(name, draft))} />
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
        // A textbox, not a combobox: the list only appears after "@"; the active option is announced.
        aria-autocomplete="list"
        aria-controls={mentions.choices.length > 0 ? MENTION_LIST_ID : undefined}
        aria-activedescendant={mentions.choices.length > 0 ? `${MENTION_LIST_ID}-${mentions.active}` : undefined}
        placeholder={encrypted ? 'Write an encrypted message…' : 'Write a message…'}
        onInput={(event) => {
          setDraft(event.currentTarget.value);
          mentions.update(event.currentTarget.value, event.currentTarget.selectionStart ?? event.currentTarget.value.length);
          if (!editing && event.currentTarget.value !== '') onTyping?.();
        }}
        onBlur={mentions.close}
        onPaste={(event) => {
          // A pasted picture (a screenshot) arrives as a file; pasted text stays text.
          const pasted = Array.from(event.clipboardData?.files ?? []);
          if (!attach || pasted.length === 0) return;
          event.preventDefault();
          attach(pasted);
        }}
        onKeyDown={(event) => {
          const picked = event.isComposing ? null : mentions.onKey(event.key, draft);
          if (picked !== null) {
            event.preventDefault();
            if (picked !== 'handled') insert(picked);
            return;
          }
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
      {attach && (
        <label class="file-button attach" title="Attach file">
          <PaperclipIcon />
          <input
            type="file"
            multiple
            aria-label="Attach file"
            onChange={(event) => {
              const picked = Array.from(event.currentTarget.files ?? []);
              event.currentTarget.value = '';
              if (picked.length > 0) attach(picked);
            }}
          />
        </label>
      )}
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
