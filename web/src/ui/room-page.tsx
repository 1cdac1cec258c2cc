import { type ReadonlySignal, type Signal, useComputed, useSignal } from '@preact/signals';
import type { PeerInfo } from '@shoal/shared';
import { useEffect, useMemo } from 'preact/hooks';
import { type ChatState, documentTitle } from '../state/chat';
import { contestedSkeletons, messageNameClaims } from '../state/name-conflicts';
import type { TopologySummary } from '../state/topology-rows';
import type { ManualLinker } from '@shoal/shared/link';
import { type ComposeMode, Composer } from './composer';
import { safeFileName } from '../state/file-name';
import type { FileTransfers } from '../state/file-transfers';
import { type HistoryTools, HistoryControls } from './history-controls';
import { IdentityNotice } from './identity-notice';
import { KeeperTokenField } from './keeper-token-field';
import { ManualConnect } from './manual-connect';
import { MessageLog } from './message-log';
import type { MessageActions } from './message-row';
import { NameField } from './name-field';
import { PeerList } from './peer-list';
import { RoomHeader } from './room-header';
import { type LinkInfo, StatsPanel } from './stats-panel';
import { ThrottleNotice } from './throttle-notice';
import type { TypingState } from '../state/typing-state';
import { TypingStatus } from './typing-status';
import { prepareDateFormats } from './format';
import { NotifyControl } from './notify-control';
import type { NotifyLevel } from '../state/notify-policy';

export interface RoomPageProps {
  room: string;
  link: string;
  encrypted: boolean;
  /** Private rooms: shows that peers here use another passphrase. */
  wrongPassphrase: ReadonlySignal<boolean>;
  state: ChatState;
  /** Who is typing, and this reader's own typing notices. */
  typing: TypingState;
  notify: { initial: NotifyLevel; setLevel(level: NotifyLevel): void; requestPermission?: () => Promise<NotificationPermission> };
  initialName: string;
  fingerprint: string;
  /** The stored identity was unreadable and replaced by a new one: the page says so. */
  identityReplaced: boolean;
  maxTextChars: number;
  onNameChange(name: string): void;
  counters(): Readonly<Record<string, number>>;
  links(): LinkInfo[];
  topology(): TopologySummary;
  manual: ManualLinker;
  history: HistoryTools;
  /** A private room's keeper token (null in public rooms). */
  keeperToken: string | null;
  /** The room's files: sharing and the file rows. Absent: no attachments, file rows show their name. */
  files?: FileTransfers | undefined;
}

/**
 * One room: header, message log and composer, and a side panel with name, peers and stats. Each live
 * part reads its own signals, so a peer update (every pong of every link) re-renders the peer list and
 * the status line, not the message log (whose layout effect measures the scroller).
 */
export function RoomPage(props: RoomPageProps) {
  const { state } = props;
  // Right after the first paint: a message shown later does not wait for the locale data (see lazyDateFormat).
  useEffect(() => prepareDateFormats(), []);
  useEffect(() => {
    const onVisibility = () => state.setVisible(document.visibilityState === 'visible');
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [state]);
  const ownName = useSignal(props.initialName);
  // Per message list, not per peer update: pongs refresh the peer list every few seconds.
  const messageClaims = useComputed(() => messageNameClaims(state.messages.value));
  // A string, so the log re-renders only when the set of flagged names changes (signals compare by ===).
  const contested = useComputed(() => {
    const peerClaims = state.peers.value.map((peer) => ({ name: peer.name, identity: peer.fingerprint }));
    // Own name too: someone taking it is flagged before either of us has written anything.
    const own = { name: ownName.value, identity: props.fingerprint };
    return [...contestedSkeletons([own, ...messageClaims.value, ...peerClaims])].sort().join('\n');
  });
  const mode = useSignal<ComposeMode>(null);
  // One object for the page's life: the log reuses rendered rows, which hold on to it.
  const actions = useMemo<MessageActions>(
    () => ({
      reply: (message) => void (mode.value = { kind: 'reply', message }),
      edit: (message) => void (mode.value = { kind: 'edit', message }),
      react: (message, emoji, remove) => void state.react(message.id, emoji, remove),
      remove: (message) => {
        if (mode.value?.message.id === message.id) mode.value = null;
        void state.remove(message.id);
      },
      nameOf: state.nameOf,
    }),
    [state],
  );
  const onNameChange = (name: string) => {
    ownName.value = name;
    props.onNameChange(name);
  };
  return (
    <div class="room">
      <UnreadTitle room={props.room} state={state} />
      <LiveHeader room={props.room} link={props.link} encrypted={props.encrypted} state={state} />
      <aside class="side">
        <NameField initial={props.initialName} onChange={onNameChange} fingerprint={props.fingerprint} />
        <LivePeers state={state} contested={contested} />
        <NotifyControl initial={props.notify.initial} onChange={props.notify.setLevel} requestPermission={props.notify.requestPermission} />
        <ManualConnect linker={props.manual} />
        <HistoryControls tools={props.history} fileName={`shoal-${props.room}-history.jsonl`} />
        {props.keeperToken !== null && <KeeperTokenField token={props.keeperToken} />}
        <StatsPanel counters={props.counters} links={props.links} topology={props.topology} />
      </aside>
      <main class="chat" {...(props.files && dropTarget(props.files))}>
        <WrongPassphrase wrong={props.wrongPassphrase} />
        <IdentityNotice replaced={props.identityReplaced} fingerprint={props.fingerprint} />
        <VersionNotice state={state} />
        <StorageNotice state={state} />
        <ThrottleNotice counters={props.counters} />
        <LiveLog state={state} contested={contested} actions={actions} ownName={ownName.value} files={props.files} />
        {props.files && <ShareNotices files={props.files} />}
        <TypingStatus typers={props.typing.typers} />
        <LiveComposer state={state} typing={props.typing} mode={mode} maxLength={props.maxTextChars} encrypted={props.encrypted} attach={props.files && props.files.share} />
      </main>
    </div>
  );
}

interface Live {
  state: ChatState;
}

/** Keeps the tab title in step with the unread count; renders nothing. */
function UnreadTitle({ room, state }: Live & { room: string }) {
  const unread = state.unread.value;
  useEffect(() => {
    document.title = documentTitle(room, unread);
  }, [room, unread]);
  return null;
}

function LiveHeader({ state, ...rest }: Live & Pick<RoomPageProps, 'room' | 'link' | 'encrypted'>) {
  return <RoomHeader {...rest} statusText={state.statusText.value} connected={state.serverStatus.value === 'connected'} />;
}

function WrongPassphrase({ wrong }: { wrong: ReadonlySignal<boolean> }) {
  if (!wrong.value) return null;
  return (
    <p class="error" role="alert">
      Wrong passphrase: peers in this room use a different one.
    </p>
  );
}

/** Name skeletons used by more than one identity, newline-joined (see RoomPage). */
type Contested = { contested: ReadonlySignal<string> };

function useContestedSet({ contested }: Contested): ReadonlySet<string> {
  const joined = contested.value;
  return useMemo(() => new Set(joined ? joined.split('\n') : []), [joined]);
}

/** Storage trouble (full disk, refused writes) and history dropped for the limit, said plainly. */
function StorageNotice({ state }: Live) {
  const error = state.storageError.value;
  if (error) {
    return (
      <p class="notice" role="alert">
        {error}
      </p>
    );
  }
  return state.droppedOlder.value && !state.hasOlder.value ? (
    <p class="notice subtle" role="status">
      Older messages were removed from this browser to stay within its history limit (see History).
    </p>
  ) : null;
}

/** A peer that cannot link for its protocol version: said once, politely, instead of an empty room. */
function VersionNotice({ state }: Live) {
  const notice = state.versionNotice.value;
  return notice ? (
    <p class="notice" role="status">
      {notice}
    </p>
  ) : null;
}

function LivePeers({ state, contested }: Live & Contested) {
  const peers: readonly PeerInfo[] = state.peers.value;
  return <PeerList peers={peers} contested={useContestedSet({ contested })} />;
}

function LiveLog({ state, contested, actions, ownName, files }: Live & Contested & { actions: MessageActions; ownName: string; files: FileTransfers | undefined }) {
  const set = useContestedSet({ contested });
  return (
    <MessageLog
      messages={state.messages.value} isOwn={state.isOwn} hasOlder={state.hasOlder.value} loadOlder={state.loadOlder} contested={set} actions={actions}
      ownName={ownName} firstUnread={state.firstUnread.value} files={files}
    />
  );
}

/** Files dropped anywhere on the chat are shared; other drags (text, links) keep their default. */
function dropTarget(files: FileTransfers) {
  const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true;
  return {
    onDragOver(event: DragEvent) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    },
    onDrop(event: DragEvent) {
      const dropped = Array.from(event.dataTransfer?.files ?? []);
      if (dropped.length === 0) return;
      event.preventDefault();
      void files.share(dropped);
    },
  };
}

/** The reader's files on their way into the log, and why the last ones were refused. */
function ShareNotices({ files }: { files: FileTransfers }) {
  const error = files.shareError.value;
  const sharing = files.sharing.value;
  return (
    <>
      <p class="share-status" role="status">
        {sharing.length > 0 && `Sharing ${sharing.map(safeFileName).join(', ')}…`}
      </p>
      {error && (
        <p class="error share-error" role="alert">
          Not shared: {error}
        </p>
      )}
    </>
  );
}

function LiveComposer({ state, typing, mode, ...rest }: Live & { typing: TypingState; mode: Signal<ComposeMode>; maxLength: number; encrypted: boolean; attach: ((files: File[]) => void) | undefined }) {
  const lastOwn = () => state.messages.value.findLast((message) => state.isOwn(message) && message.kind === 'text' && !message.deleted && !message.problem);
  return (
    <Composer
      send={(body, replyTo) => {
        // The stop goes after the message: readers clear the notice as the message shows (one render).
        const sent = state.send(body, replyTo === undefined ? undefined : { replyTo });
        void sent.then(typing.stopped, typing.stopped);
        return sent;
      }}
      onTyping={typing.typed}
      names={() => roomNames(state)}
      edit={state.edit}
      mode={mode.value}
      setMode={(next) => void (mode.value = next)}
      lastOwn={lastOwn}
      error={state.sendError.value}
      {...rest}
    />
  );
}

/** Names to offer after "@": people online first, then recent authors, newest first (own excluded). */
function roomNames(state: ChatState): string[] {
  const online = state.peers.value.filter((peer) => peer.state === 'online').map((peer) => peer.name);
  const authors = state.messages.value.filter((message) => !state.isOwn(message) && !message.deleted).map((message) => message.name).reverse();
  return [...online, ...authors];
}
