import { useEffect, useRef, useState } from 'preact/hooks';
import type { BodyProblem, ViewMessage } from '@shoal/shared';
import { safeFileName } from '../state/file-name';
import { type FileActions, FileCard } from './file-card';
import { MessageBody } from './message-body';
import { NameWarning } from './name-warning';
import { ReactionBar } from './reaction-bar';
import { ReactionPicker } from './reaction-picker';
import { ReplyQuote } from './reply-quote';
import { displayName, formatSentAt, shortFingerprint } from './format';

const PROBLEM_TEXT: Record<BodyProblem, string> = {
  WRONG_PASSPHRASE: 'Encrypted with a different passphrase: not readable here.',
  BAD_ENVELOPE: 'Damaged encrypted message.',
  NOT_ENCRYPTED: 'Unencrypted message in a private room: hidden.',
  BAD_CONTENT: 'Malformed message.',
};

/** What a reader can do with a message; the log hides the buttons when absent (read-only views). */
export interface MessageActions {
  reply(message: ViewMessage): void;
  /** Adds the reader's reaction, or takes it back with `remove`. */
  react(message: ViewMessage, emoji: string, remove: boolean): void;
  edit(message: ViewMessage): void;
  remove(message: ViewMessage): void;
  /** The name a key last wrote under, for "who reacted". */
  nameOf(publicKey: string): string;
}

export interface MessageRowProps {
  message: ViewMessage;
  own: boolean;
  flagged: boolean;
  /** The message this one answers, when it is a reply (undefined: not loaded here). */
  original?: ViewMessage | undefined;
  actions?: MessageActions | undefined;
  /** It @mentions the reader: highlighted. */
  mention?: boolean;
  /** Follows a message of the same author closely: its header is only read out, not shown. */
  grouped?: boolean;
  /** The room's files: a `file` row shows its card with them; without, only its name. */
  files?: FileActions | undefined;
}

/**
 * One message. The author name is normalized and bidi-isolated (<bdi>) so it cannot reorder the meta
 * line; a name another identity also uses is flagged on every row that uses it, with the fingerprint.
 * The time is read against the clock when the row is first rendered (about when it arrived, for live
 * messages). Its actions show on hover and on focus inside the row, and stay in the tab order.
 */
export function MessageRow({ message, own, flagged, original, actions, mention = false, grouped = false, files }: MessageRowProps) {
  const sent = formatSentAt(message.sentAt, Date.now());
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const usable = actions && !message.deleted && !message.problem;
  const mine = new Set((message.reactions ?? []).filter((reaction) => reaction.mine).map((reaction) => reaction.emoji));
  return (
    <li data-message-id={message.id} data-own={own ? 'true' : 'false'} class={rowClass(message, own, mention, grouped)} tabIndex={-1}>
      <div class="meta">
        <bdi class="author">{displayName(message.name)}</bdi>
        {message.fingerprint && (
          <span class="fingerprint" title={`Key fingerprint ${message.fingerprint}`}>
            {shortFingerprint(message.fingerprint)}
          </span>
        )}
        {flagged && <NameWarning />}
        {mention && <span class="mention-mark">mentions you</span>}
        <time class={sent.future ? 'future warn' : undefined} dateTime={sent.dateTime ?? undefined} title={sent.title}>
          {sent.text}
        </time>
      </div>
      {message.replyTo !== undefined && !message.deleted && <ReplyQuote original={original} />}
      {message.deleted ? (
        <p class="body problem">Message deleted.</p>
      ) : message.problem ? (
        <p class="body problem">{PROBLEM_TEXT[message.problem]}</p>
      ) : message.file && files ? (
        <FileCard fileId={message.id} manifest={message.file} files={files} />
      ) : message.file ? (
        <p class="body problem">File: {safeFileName(message.file.name)}</p>
      ) : (
        <MessageBody text={message.body} edited={message.edited === true} />
      )}
      {actions && message.reactions && message.reactions.length > 0 && (
        <ReactionBar messageId={message.id} reactions={message.reactions} nameOf={actions.nameOf} toggle={(emoji, remove) => actions.react(message, emoji, remove)} />
      )}
      {usable && (
        <div class={picking || confirming ? 'actions open' : 'actions'} role="group" aria-label="Message actions">
          <button type="button" class="ghost" onClick={() => actions.reply(message)}>
            Reply
          </button>
          <button type="button" class="ghost" aria-expanded={picking} onClick={() => setPicking(!picking)}>
            React
          </button>
          {own && (
            <>
              {message.kind === 'text' && (
                <button type="button" class="ghost" onClick={() => actions.edit(message)}>
                  Edit
                </button>
              )}
              <button type="button" class="ghost danger" aria-expanded={confirming} onClick={() => setConfirming(true)}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
      {usable && picking && <ReactionPicker mine={mine} pick={(emoji) => actions.react(message, emoji, mine.has(emoji))} close={() => setPicking(false)} />}
      {usable && own && confirming && <DeleteConfirm confirm={() => actions.remove(message)} cancel={() => setConfirming(false)} />}
    </li>
  );
}

function rowClass(message: ViewMessage, own: boolean, mention: boolean, grouped: boolean): string {
  return ['msg', own && 'own', message.deleted && 'deleted', mention && 'mention', grouped && 'grouped'].filter(Boolean).join(' ');
}

/** Asks before deleting: the text leaves every peer's store and cannot come back. */
function DeleteConfirm({ confirm, cancel }: { confirm(): void; cancel(): void }) {
  const cancelButton = useRef<HTMLButtonElement>(null);
  // Focus lands on Cancel: Enter pressed out of habit must not delete.
  useEffect(() => cancelButton.current?.focus(), []);
  return (
    <div
      class="confirm"
      role="group"
      aria-label="Confirm delete"
      onKeyDown={(event) => {
        if (event.key === 'Escape') cancel();
      }}
    >
      <span>Delete this message for everyone?</span>
      <button type="button" class="danger" onClick={confirm}>
        Delete for everyone
      </button>
      <button type="button" class="ghost" ref={cancelButton} onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}
