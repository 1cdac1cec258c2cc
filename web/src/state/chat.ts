import { type ReadonlySignal, batch, computed, signal } from '@preact/signals';
import { type ChatMessage, type Mesh, type PeerInfo, type RoomName, compareMessages } from '@shoal/shared';
import type { SignalingStatus } from '../net/signaling-client';
import type { ChatHistory, MessageCursor } from '../store/history';
import { type MessageCodec, type ViewMessage, plainCodec } from './message-codec';
import { mergeSorted } from './merge-sorted';

export interface ChatStateDeps {
  room: RoomName;
  /** Session ids of this tab, current and earlier loads (rememberSession): their messages are "own". */
  ownAuthors: ReadonlySet<string>;
  mesh: Pick<Mesh, 'send' | 'setName' | 'peers' | 'on'>;
  history: Pick<ChatHistory, 'recent' | 'before'>;
  serverStatus: ReadonlySignal<SignalingStatus>;
  /** Body encoding: plain, or end-to-end encryption in private rooms. Default plainCodec. */
  codec?: MessageCodec;
  /**
   * Checks a message's author signature (verifyChatMessage with the mesh's caching verifier). Stored
   * rows are checked again when read back: IndexedDB is writable by any script of this origin and by
   * whoever has the disk, so a row is only as trustworthy as its signature.
   */
  verify(message: ChatMessage): Promise<boolean>;
  /** Fingerprint of an author's public key (the verifier's, which caches). Default: none shown. */
  fingerprint?: (publicKey: string) => Promise<string>;
  /** Messages painted first and fetched per older page. Default 200. */
  pageSize?: number;
  /**
   * Runs the merge of messages that arrived meanwhile, so a burst costs one merge and one render rather
   * than one per message. Default queueMicrotask; the app passes a throttledScheduler.
   */
  schedule?: (flush: () => void) => void;
}

export interface ChatState {
  /** Loaded messages of the room in display order (compareMessages). */
  readonly messages: ReadonlySignal<readonly ViewMessage[]>;
  readonly peers: ReadonlySignal<readonly PeerInfo[]>;
  readonly serverStatus: ReadonlySignal<SignalingStatus>;
  /** "Connected · 3 peers", "Reconnecting… · 2 peers". */
  readonly statusText: ReadonlySignal<string>;
  /** Messages from others that arrived while the tab was hidden. */
  readonly unread: ReadonlySignal<number>;
  /** The store may hold messages older than the first loaded one. */
  readonly hasOlder: ReadonlySignal<boolean>;
  /** Stored messages dropped on read-back because their signature did not verify. */
  readonly storedRejected: ReadonlySignal<number>;
  /** The last send failure, for the composer to show; null after a success. */
  readonly sendError: ReadonlySignal<string | null>;
  isOwn(message: ChatMessage): boolean;
  /** Loads the last page from the store (first paint). Live messages are held until it finished. */
  load(): Promise<void>;
  /** Loads the page before the oldest loaded message. */
  loadOlder(): Promise<void>;
  /** Sends a message; false (and sendError set) when the mesh refused it. */
  send(body: string): Promise<boolean>;
  setName(name: string): void;
  /** Whether the reader can see the tab; becoming visible clears the unread count. */
  setVisible(visible: boolean): void;
  dispose(): void;
}

/** View state of one room: mesh events and stored history in, signals out. No DOM, no I/O of its own. */
export function createChatState(deps: ChatStateDeps): ChatState {
  const pageSize = deps.pageSize ?? 200;
  const schedule = deps.schedule ?? queueMicrotask;
  const codec = deps.codec ?? plainCodec;
  const messages = signal<readonly ViewMessage[]>([]);
  const peers = signal<readonly PeerInfo[]>(deps.mesh.peers());
  const unread = signal(0);
  const hasOlder = signal(false);
  const sendError = signal<string | null>(null);
  const storedRejected = signal(0);
  const known = new Set<string>();
  let pending: ViewMessage[] = [];
  // Live messages wait until the first page is in: a history-sync message merged before it could sit
  // above the page's gap once hasOlder is known.
  let loaded = false;
  /** The oldest row read from the store (dropped ones included), where the next older page starts. */
  let oldestRead: MessageCursor | null = null;
  let visible = true;
  let disposed = false;

  const isOwn = (message: ChatMessage) => deps.ownAuthors.has(message.author);

  const flush = () => {
    if (!loaded) return;
    const batchIn = pending;
    pending = [];
    if (disposed || batchIn.length === 0) return;
    const current = messages.value;
    const oldest = current[0];
    const fresh: ViewMessage[] = [];
    for (const message of batchIn) {
      if (known.has(message.id)) continue;
      // Older than the loaded window while the store holds more: loadOlder will bring it in its place;
      // showing it now would put it above a gap.
      if (hasOlder.value && oldest && compareMessages(message, oldest) < 0) continue;
      known.add(message.id);
      fresh.push(message);
    }
    if (fresh.length === 0) return;
    const unseen = visible ? 0 : fresh.filter((message) => !isOwn(message)).length;
    batch(() => {
      messages.value = mergeSorted(current, fresh.sort(compareMessages), compareMessages);
      if (unseen > 0) unread.value += unseen;
    });
  };

  const enqueue = (message: ViewMessage) => {
    if (pending.length === 0) schedule(flush);
    pending.push(message);
  };
  const toView = async (message: ChatMessage): Promise<ViewMessage> => {
    const [view, fingerprint] = await Promise.all([codec.decode(message), deps.fingerprint?.(message.publicKey)]);
    return fingerprint === undefined ? view : { ...view, fingerprint };
  };
  const accept = (message: ChatMessage) => {
    toView(message).then(enqueue, (error: unknown) => console.error('could not show a message:', error));
  };

  /** The view of a stored message, or null when its signature does not verify (or cannot be checked). */
  const verifiedView = async (message: ChatMessage): Promise<ViewMessage | null> => {
    try {
      if (!(await deps.verify(message))) return null;
    } catch {
      return null;
    }
    return toView(message);
  };

  const addPage = async (page: ChatMessage[]) => {
    // Concurrent: the verifier caches imported keys, so a page of few authors costs one import each.
    const views = await Promise.all(page.filter((message) => !known.has(message.id)).map(verifiedView));
    const rejected = views.filter((view) => view === null).length;
    // Checked again after the await: live deliveries may have added some meanwhile.
    const fresh = views.filter((view): view is ViewMessage => view !== null && !known.has(view.id));
    for (const message of fresh) known.add(message.id);
    const first = page[0];
    if (first) oldestRead = { lamport: first.lamport, id: first.id };
    batch(() => {
      messages.value = mergeSorted(messages.value, fresh, compareMessages);
      hasOlder.value = page.length >= pageSize;
      if (rejected > 0) storedRejected.value += rejected;
    });
  };

  const unsubscribe = [
    deps.mesh.on('message', accept),
    deps.mesh.on('peers', (list) => {
      peers.value = list;
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
    hasOlder,
    storedRejected,
    sendError,
    isOwn,
    async load() {
      try {
        await addPage(await deps.history.recent(deps.room, pageSize));
      } finally {
        loaded = true;
        flush();
      }
    },
    async loadOlder() {
      if (!oldestRead || !hasOlder.value) return;
      await addPage(await deps.history.before(deps.room, oldestRead, pageSize));
    },
    async send(body) {
      try {
        const message = await deps.mesh.send(await codec.encode(body));
        accept(message);
        sendError.value = null;
        return true;
      } catch (error) {
        sendError.value = error instanceof Error ? error.message : 'the message could not be sent';
        return false;
      }
    },
    setName(name) {
      deps.mesh.setName(name);
    },
    setVisible(isVisible) {
      visible = isVisible;
      if (isVisible) unread.value = 0;
    },
    dispose() {
      disposed = true;
      for (const off of unsubscribe) off();
    },
  };
}

/** The tab title: `(3) room — Shoal` while messages are unread. */
export function documentTitle(room: string, unread: number): string {
  return `${unread > 0 ? `(${unread}) ` : ''}${room} — Shoal`;
}
