import { type ReadonlySignal, batch, computed, signal } from '@preact/signals';
import { type FileContent, type Mesh, type PeerInfo, type RoomEvent, type RoomName, type SignedEvent, MAX_NAME_CHARS, PROTOCOL_VERSION, compareEvents, encodeContent, isSigned } from '@shoal/shared';
import type { SignalingStatus } from '@shoal/shared/link';
import type { ChatHistory, MessageCursor } from '../store/history';
import { type MessageCodec, type ViewMessage, decodeEvent, plainCodec } from '@shoal/shared';
import { mergeSorted } from './merge-sorted';
import { createRowActs } from './row-acts';

export interface ChatStateDeps {
  room: RoomName;
  /** Session ids of this tab, current and earlier loads (rememberSession): their messages are "own". */
  ownAuthors: ReadonlySet<string>;
  mesh: Pick<Mesh, 'send' | 'publish' | 'setName' | 'peers' | 'on'>;
  /** The name sent with this tab's messages until setName. Default ''. */
  initialName?: string;
  history: Pick<ChatHistory, 'recent' | 'before'> & Partial<Pick<ChatHistory, 'droppedOlder'>>;
  serverStatus: ReadonlySignal<SignalingStatus>;
  /** Body encoding: plain, or end-to-end encryption in private rooms. Default plainCodec. */
  codec?: MessageCodec;
  /**
   * Checks a message's author signature (verifyChatMessage with the mesh's caching verifier). Stored
   * rows are checked again when read back: IndexedDB is writable by any script of this origin and by
   * whoever has the disk, so a row is only as trustworthy as its signature.
   */
  verify(message: RoomEvent): Promise<boolean>;
  /** Fingerprint of an author's public key (the verifier's, which caches). Default: none shown. */
  fingerprint?: (publicKey: string) => Promise<string>;
  /**
   * Told of every batch of new rows as they are shown, with whether the tab was visible: desktop
   * notifications hook in here. Default: nothing.
   */
  onArrived?(fresh: readonly ViewMessage[], visible: boolean): void;
  /** Told of every readable `file` event decoded for the log (the file swarm fetches from it). Default: nothing. */
  onFileEvent?(event: SignedEvent, manifest: FileContent): void;
  /** Messages painted first and fetched per older page. Default 200. */
  pageSize?: number;
  /** Rows held in memory at most; live arrivals past it let the oldest go. Default MAX_LOADED_MESSAGES. */
  maxLoaded?: number;
  /**
   * Runs the merge of messages that arrived meanwhile, so a burst costs one merge and one render rather
   * than one per message. Default queueMicrotask; the app passes a throttledScheduler.
   */
  schedule?: (flush: () => void) => void;
  /**
   * Runs the update of the peer list, so that the events of a forming room (each link's handshake,
   * name and first pong) cost a few renders rather than one each. Default: at once.
   */
  schedulePeers?: (update: () => void) => void;
}

export interface ChatState {
  /** Loaded messages of the room in display order (compareEvents). */
  readonly messages: ReadonlySignal<readonly ViewMessage[]>;
  readonly peers: ReadonlySignal<readonly PeerInfo[]>;
  readonly serverStatus: ReadonlySignal<SignalingStatus>;
  /** "Connected · 3 peers", "Reconnecting… · 2 peers". */
  readonly statusText: ReadonlySignal<string>;
  /** Messages from others that arrived while the tab was hidden. */
  readonly unread: ReadonlySignal<number>;
  /** The first message from others that arrived while the tab was last hidden: the "new" line goes above it. */
  readonly firstUnread: ReadonlySignal<string | null>;
  /** The store may hold messages older than the first loaded one. */
  readonly hasOlder: ReadonlySignal<boolean>;
  /** Stored messages dropped on read-back because their signature did not verify. */
  readonly storedRejected: ReadonlySignal<number>;
  /** The last send failure, for the composer to show; null after a success. */
  readonly sendError: ReadonlySignal<string | null>;
  /** Set when this browser refused to store (quota, failing IndexedDB): shown until the page reloads. */
  readonly storageError: ReadonlySignal<string | null>;
  /** Older events of the room were dropped here for the retention limit. */
  readonly droppedOlder: ReadonlySignal<boolean>;
  /** Reports a failed write of the store (the message is shown and sent, but not kept here). */
  reportStorageError(error: unknown): void;
  /** Set when a peer runs another protocol version and cannot link: who has to reload. */
  readonly versionNotice: ReadonlySignal<string | null>;
  isOwn(message: Pick<RoomEvent, 'author'>): boolean;
  /** Loads the last page from the store (first paint). Live messages are held until it finished. */
  load(): Promise<void>;
  /** Loads the page before the oldest loaded message. */
  loadOlder(): Promise<void>;
  /** Shows an event this tab published through another service (a shared file's event, from the swarm). */
  show(event: RoomEvent): void;
  /** Sends a message; false (and sendError set) when the mesh refused it. */
  send(text: string, options?: { replyTo?: string }): Promise<boolean>;
  /** Replaces the text of an own message everywhere (an `edit` event); false when refused. */
  edit(id: string, text: string): Promise<boolean>;
  /** Deletes an own message everywhere (a `delete` event: its text leaves every store); false when refused. */
  remove(id: string): Promise<boolean>;
  /** Adds (or with `remove`, takes back) this reader's reaction to a message; false when refused. */
  react(id: string, emoji: string, remove?: boolean): Promise<boolean>;
  /** The name a key last wrote under (for "who reacted"), '' when it wrote nothing loaded here. */
  nameOf(publicKey: string): string;
  setName(name: string): void;
  /** Whether the reader can see the tab; becoming visible clears the unread count. */
  setVisible(visible: boolean): void;
  dispose(): void;
}

/** Rows a room view holds in memory (the store keeps the rest): bounds a tab left open for weeks. */
export const MAX_LOADED_MESSAGES = 5_000;

/** View state of one room: mesh events and stored history in, signals out. No DOM, no I/O of its own. */
export function createChatState(deps: ChatStateDeps): ChatState {
  const pageSize = deps.pageSize ?? 200;
  const maxLoaded = Math.max(pageSize, deps.maxLoaded ?? MAX_LOADED_MESSAGES);
  const schedule = deps.schedule ?? queueMicrotask;
  const schedulePeers = deps.schedulePeers ?? ((update: () => void) => update());
  /** The newest peer list not yet shown; null when none is waiting. */
  let waitingPeers: readonly PeerInfo[] | null = null;
  const codec = deps.codec ?? plainCodec;
  const messages = signal<readonly ViewMessage[]>([]);
  const peers = signal<readonly PeerInfo[]>(deps.mesh.peers());
  const unread = signal(0);
  const firstUnread = signal<string | null>(null);
  /** The tab was hidden and nothing new came since: the next arrival moves the "new" line. */
  let markPending = false;
  const hasOlder = signal(false);
  const sendError = signal<string | null>(null);
  const versionNotice = signal<string | null>(null);
  const storageError = signal<string | null>(null);
  const droppedOlder = signal(false);
  const storedRejected = signal(0);
  const known = new Set<string>();
  let name = deps.initialName ?? '';
  let pending: ViewMessage[] = [];
  // Live messages wait until the first page is in: a history-sync message merged before it could sit
  // above the page's gap once hasOlder is known.
  let loaded = false;
  /** The oldest row read from the store (dropped ones included), where the next older page starts. */
  let oldestRead: MessageCursor | null = null;
  let visible = true;
  let disposed = false;

  const isOwn = (message: Pick<RoomEvent, 'author'>) => deps.ownAuthors.has(message.author);

  const rowActs = createRowActs(isOwn);

  /** Splits decoded events into log rows and acts (edits, deletes, reactions), applying acts to loaded rows. */
  const sortOut = (views: readonly ViewMessage[]): ViewMessage[] => {
    const rows: ViewMessage[] = [];
    const touched = new Set<string>();
    for (const view of views) {
      if (view.kind === 'text' || view.kind === 'file') rows.push(view);
      const target = rowActs.record(view);
      if (target !== null) touched.add(target);
    }
    if (touched.size > 0) {
      messages.value = messages.value.map((row) => (touched.has(row.id) ? rowActs.apply(row) : row));
      pending = pending.map((row) => (touched.has(row.id) ? rowActs.apply(row) : row));
    }
    return rows.map(rowActs.apply);
  };

  const flush = () => {
    if (!loaded) return;
    const batchIn = sortOut(pending);
    pending = [];
    if (disposed || batchIn.length === 0) return;
    const current = messages.value;
    const oldest = current[0];
    const fresh: ViewMessage[] = [];
    for (const message of batchIn) {
      if (known.has(message.id)) continue;
      // Older than the loaded window while the store holds more: loadOlder will bring it in its place;
      // showing it now would put it above a gap.
      if (hasOlder.value && oldest && compareEvents(message, oldest) < 0) continue;
      known.add(message.id);
      fresh.push(message);
    }
    if (fresh.length === 0) return;
    fresh.sort(compareEvents);
    const others = visible ? [] : fresh.filter((message) => !isOwn(message));
    batch(() => {
      messages.value = keepWindow(mergeSorted(current, fresh, compareEvents));
      if (others.length > 0) unread.value += others.length;
      const first = others[0];
      if (markPending && first) {
        firstUnread.value = first.id;
        markPending = false;
      }
    });
    deps.onArrived?.(fresh, visible);
  };

  /**
   * A tab open for weeks in a busy room would hold every message it ever showed. Past maxLoaded the
   * oldest rows leave memory (they stay in the store: "Show older messages" reads them back).
   */
  const keepWindow = (list: readonly ViewMessage[]): readonly ViewMessage[] => {
    if (list.length <= maxLoaded) return list;
    const dropped = list.slice(0, list.length - maxLoaded);
    for (const row of dropped) known.delete(row.id);
    const kept = list.slice(list.length - maxLoaded);
    const first = kept[0];
    if (first) oldestRead = { lamport: first.lamport, id: first.id };
    hasOlder.value = true;
    return kept;
  };

  const enqueue = (message: ViewMessage) => {
    if (pending.length === 0) schedule(flush);
    pending.push(message);
  };
  const toView = async (message: RoomEvent): Promise<ViewMessage> => {
    const [view, fingerprint] = await Promise.all([decodeEvent(codec, message), deps.fingerprint?.(message.publicKey)]);
    if (view.file && isSigned(message)) deps.onFileEvent?.(message, view.file);
    return fingerprint === undefined ? view : { ...view, fingerprint };
  };
  const accept = (message: RoomEvent) => {
    toView(message).then(enqueue, (error: unknown) => console.error('could not show a message:', error));
  };

  /** The view of a stored message, or null when its signature does not verify (or cannot be checked). */
  const verifiedView = async (message: RoomEvent): Promise<ViewMessage | null> => {
    try {
      if (!(await deps.verify(message))) return null;
    } catch {
      return null;
    }
    return toView(message);
  };

  const addPage = async (page: RoomEvent[]) => {
    // Concurrent: the verifier caches imported keys, so a page of few authors costs one import each.
    const views = await Promise.all(page.filter((message) => !known.has(message.id)).map(verifiedView));
    const rejected = views.filter((view) => view === null).length;
    // Checked again after the await: live deliveries may have added some meanwhile.
    const fresh = sortOut(views.filter((view): view is ViewMessage => view !== null && !known.has(view.id)));
    for (const message of fresh) known.add(message.id);
    const first = page[0];
    if (first) oldestRead = { lamport: first.lamport, id: first.id };
    batch(() => {
      messages.value = mergeSorted(messages.value, fresh, compareEvents);
      hasOlder.value = page.length >= pageSize;
      if (rejected > 0) storedRejected.value += rejected;
    });
  };

  /** Sends one event; the mesh's refusal (empty, too long, not the author) becomes sendError. */
  const publish = async (sign: () => Promise<RoomEvent>): Promise<boolean> => {
    try {
      // Not shown from here: the mesh emits our own event as a `message` as soon as it is signed.
      await sign();
      sendError.value = null;
      return true;
    } catch (error) {
      sendError.value = error instanceof Error ? error.message : 'the message could not be sent';
      return false;
    }
  };

  const unsubscribe = [
    deps.mesh.on('message', accept),
    deps.mesh.on('version-mismatch', ({ version }) => {
      versionNotice.value =
        version > PROTOCOL_VERSION
          ? `A peer runs a newer version of Shoal (protocol v${version}): reload this page to chat with them.`
          : `A peer runs an older version of Shoal (protocol v${version}): they need to reload their page to chat with you.`;
    }),
    deps.mesh.on('peers', (list) => {
      const scheduled = waitingPeers !== null;
      waitingPeers = list;
      if (scheduled) return;
      schedulePeers(() => {
        if (waitingPeers !== null) peers.value = waitingPeers;
        waitingPeers = null;
      });
    }),
  ];

  const onlineCount = computed(() => peers.value.filter((peer) => peer.state === 'online').length);
  const statusText = computed(() => {
    const count = onlineCount.value;
    const peerText = `${count} ${count === 1 ? 'peer' : 'peers'}`;
    switch (deps.serverStatus.value) {
      case 'connected':
        return `Connected · ${peerText}`;
      case 'connecting':
        return `Connecting… · ${peerText}`;
      case 'reconnecting':
        return `Reconnecting… · ${peerText}`;
      case 'closed':
        return `Offline · ${peerText}`;
    }
  });

  return {
    messages,
    peers,
    serverStatus: deps.serverStatus,
    statusText,
    unread,
    firstUnread,
    hasOlder,
    storedRejected,
    sendError,
    versionNotice,
    storageError,
    droppedOlder,
    reportStorageError(error) {
      storageError.value = storageErrorText(error);
    },
    isOwn,
    async load() {
      try {
        // Two reads at once: each waits its turn at the browser process, which is busy while a room forms.
        const [page, dropped] = await Promise.all([deps.history.recent(deps.room, pageSize), deps.history.droppedOlder?.(deps.room)]);
        await addPage(page);
        droppedOlder.value = dropped ?? false;
      } finally {
        loaded = true;
        flush();
      }
    },
    async loadOlder() {
      if (!oldestRead || !hasOlder.value) return;
      await addPage(await deps.history.before(deps.room, oldestRead, pageSize));
    },
    show: accept,
    send: (text, options) =>
      publish(async () => deps.mesh.send(await codec.encode(encodeContent('text', { text, name, ...(options?.replyTo !== undefined && { replyTo: options.replyTo }) })))),
    edit: (id, text) => publish(async () => deps.mesh.publish({ kind: 'edit', target: id, body: await codec.encode(encodeContent('edit', { text })) })),
    remove: (id) => publish(() => deps.mesh.publish({ kind: 'delete', target: id, body: '' })),
    react: (id, emoji, remove) =>
      publish(async () =>
        deps.mesh.publish({ kind: 'reaction', target: id, body: await codec.encode(encodeContent('reaction', { emoji, ...(remove === true && { remove: true }) })) }),
      ),
    nameOf: rowActs.nameOf,
    setName(value) {
      name = value.slice(0, MAX_NAME_CHARS);
      deps.mesh.setName(value);
    },
    setVisible(isVisible) {
      if (visible && !isVisible) markPending = true;
      visible = isVisible;
      if (isVisible) unread.value = 0;
    },
    dispose() {
      disposed = true;
      for (const off of unsubscribe) off();
    },
  };
}

/** What a person should know about a failed write: a full disk gets named, anything else stays generic. */
export function storageErrorText(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return 'This browser has no room left to store messages. New messages are shown and sent but not kept here; free up disk space or lower the history limit (History).';
  }
  return 'This browser could not store messages (storage failed). New messages are shown and sent but not kept here; stored history is untouched.';
}

/** The tab title: `(3) room — Shoal` while messages are unread. */
export function documentTitle(room: string, unread: number): string {
  return `${unread > 0 ? `(${unread}) ` : ''}${room} — Shoal`;
}
