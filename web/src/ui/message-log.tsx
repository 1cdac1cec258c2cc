import type { VNode } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ViewMessage } from '@shoal/shared';
import { mentionMemo } from '../state/mentions';
import { isContestedName } from '../state/name-conflicts';
import { layoutLog } from './log-layout';
import type { FileActions } from './file-card';
import { type MessageActions, MessageRow } from './message-row';

export interface MessageLogProps {
  messages: readonly ViewMessage[];
  isOwn(message: ViewMessage): boolean;
  hasOlder: boolean;
  loadOlder(): Promise<void>;
  /** Name skeletons used by more than one identity in the room (contestedSkeletons): flagged rows. */
  contested: ReadonlySet<string>;
  /** Reply, react, edit and delete; without it the log is read-only. */
  actions?: MessageActions;
  /** The reader's name: others' messages that @mention it are highlighted. Default: none. */
  ownName?: string;
  /** The "new messages" line goes above this message (ChatState.firstUnread). Default: none. */
  firstUnread?: string | null;
  /** The room's files (file rows show their card). Default: file rows show their name only. */
  files?: FileActions;
}

/** Rows rendered at first; scrolling to the top renders (or loads) this many more. */
const RENDER_PAGE = 200;
/** Within this many pixels of the bottom counts as "at the bottom" (follows new messages). */
const BOTTOM_SLACK_PX = 48;

/**
 * The message log. Follows new messages only while the reader is at the bottom; otherwise a "new
 * messages" button appears instead of yanking the view away from what they are reading. Bodies are JSX
 * text nodes: peer text is never parsed as HTML.
 */
export function MessageLog({ messages, isOwn, hasOlder, loadOlder, contested, actions, ownName = '', firstUnread = null, files }: MessageLogProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const lastId = useRef<string | undefined>(undefined);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const loading = useRef(false);
  const rows = useRef(new WeakMap<ViewMessage, { vnode: VNode; flagged: boolean; original: ViewMessage | undefined; mention: boolean; grouped: boolean }>());
  const [rendered, setRendered] = useState(RENDER_PAGE);
  const [unseen, setUnseen] = useState(false);
  /** Scrolled away from the newest: "Jump to newest" shows. */
  const [away, setAway] = useState(false);
  const visible = messages.length > rendered ? messages.slice(messages.length - rendered) : messages;
  // Replies quote their original: an edit or delete of it must re-render the quote too.
  const byId = useMemo(() => new Map(messages.map((message) => [message.id, message])), [messages]);
  const mentionsReader = useMemo(() => mentionMemo(ownName), [ownName]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const newest = messages[messages.length - 1]?.id;
    if (anchor.current) {
      // Older rows were prepended: keep the row the reader was looking at in place. The anchor waits for
      // the render that actually adds them (the height changes), which may come a render later.
      if (el.scrollHeight !== anchor.current.height) {
        el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
        anchor.current = null;
      }
    }
    if (newest !== lastId.current) {
      const mine = messages[messages.length - 1];
      if (atBottom.current || (mine && isOwn(mine))) {
        el.scrollTop = el.scrollHeight;
        atBottom.current = true;
      } else setUnseen(true);
    }
    lastId.current = newest;
  }, [messages, rendered]);

  const showMore = async () => {
    const el = scroller.current;
    if (!el || loading.current) return;
    if (messages.length > rendered) {
      anchor.current = { height: el.scrollHeight, top: el.scrollTop };
      setRendered(rendered + RENDER_PAGE);
    } else if (hasOlder) {
      loading.current = true;
      anchor.current = { height: el.scrollHeight, top: el.scrollTop };
      await loadOlder();
      setRendered((count) => count + RENDER_PAGE);
      loading.current = false;
    }
  };

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    setAway(!atBottom.current);
    if (atBottom.current) setUnseen(false);
    if (el.scrollTop < 80) void showMore();
  };

  const jumpToEnd = () => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(false);
    setAway(false);
  };

  return (
    <div class="log-wrap">
      <div class="log" ref={scroller} role="log" aria-label="Messages" tabIndex={0} onScroll={onScroll}>
        {(hasOlder || messages.length > rendered) && (
          <button type="button" class="ghost older" onClick={() => void showMore()}>
            Show older messages
          </button>
        )}
        {messages.length === 0 && <p class="empty">No messages yet. Say hello — everyone in the room will see it.</p>}
        <ol>
          {layoutLog(visible, firstUnread, Date.now()).map((item) => {
            // Plain list items (a list may hold nothing else): the lines read out as their text.
            if (item.kind === 'day') {
              return (
                <li key={item.key} class="day-line">
                  <span>{item.label}</span>
                </li>
              );
            }
            if (item.kind === 'unread') {
              return (
                <li key={item.key} class="unread-line">
                  <span aria-hidden="true">New</span>
                  <span class="visually-hidden">New messages since you left</span>
                </li>
              );
            }
            const { message, grouped } = item;
            // Messages are immutable, so a row is rendered once and its vnode reused: Preact skips
            // diffing a vnode it has seen, and a burst of arrivals re-renders only the new rows.
            const flagged = isContestedName(contested, message.name);
            const original = message.replyTo === undefined ? undefined : byId.get(message.replyTo);
            const own = isOwn(message);
            const mention = !own && mentionsReader(message);
            let row = rows.current.get(message);
            if (!row || row.flagged !== flagged || row.original !== original || row.mention !== mention || row.grouped !== grouped) {
              const vnode = (
                <MessageRow key={message.id} message={message} own={own} flagged={flagged} original={original} actions={actions} mention={mention} grouped={grouped} files={files} />
              );
              row = { vnode, flagged, original, mention, grouped };
              rows.current.set(message, row);
            }
            return row.vnode;
          })}
        </ol>
      </div>
      {(unseen || away) && (
        <button type="button" class="primary new-messages" onClick={jumpToEnd}>
          {unseen ? 'New messages ↓' : 'Jump to newest ↓'}
        </button>
      )}
    </div>
  );
}
