import {
  type IceServer,
  type MeshCounters,
  MAX_TEXT_CHARS,
  type PeerId,
  type PeerInfo,
  type RoomName,
  type SignedEvent,
  type ViewMessage,
  createMesh,
  RoomNameSchema,
  createSignatureVerifier,
  deriveRoomKey,
  streamIdOf,
  toRoomEvent,
  toPeerId,
  verifyEvent,
  plainCodec,
  roomKeyCodec,
} from '@shoal/shared';
import type { ReadonlySignal } from '@preact/signals';
import { createFileSwarm } from '@shoal/shared/files';
import * as v from 'valibot';
import { type ManualLinker, type OpenSocket, createConnectionBudget, createManualLinker, startRoomLinks } from '@shoal/shared/link';
import { createNativePeerConnection } from '../net/native-peer-connection';
import { type ChatState, createChatState } from '../state/chat';
import { type TypingState, createTypingState } from '../state/typing-state';
import { type NotifyLevel, loadNotifyLevel, saveNotifyLevel } from '../state/notify-policy';
import { browserNotify, createNotifier } from './notifier';
import { createPassphraseCheck } from '../state/passphrase-check';
import { FILE_QUOTA_LIMIT, HISTORY_LIMIT, MAX_FILE_SIZE_LIMIT, loadRoomLimit, saveRoomLimit } from '../state/room-limits';
import { loadName, saveName } from '../state/name-pref';
import { rememberSession } from '../state/own-sessions';
import { roomLink } from '../state/route';
import { throttledScheduler } from '../state/throttle';
import { type TopologySummary, topologyRows } from '../state/topology-rows';
import { exportHistory, parseHistoryFile } from '../store/history-file';
import { openHistoryDb } from '../store/history-idb';
import type { IdentityRowProblem } from '../store/identity-row';
import { loadOrCreateIdentity } from '../store/load-or-create-identity';
import { DEFAULT_RETENTION } from '../store/retention';
import type { HistoryTools } from '../ui/history-controls';
import { createOutbox } from '../store/outbox';
import { browserClock } from './browser-clock';
import type { LinkInfo } from '../ui/stats-panel';
import { createManualLinks } from './manual-links';
import { openRoomFileStore, openRoomFiles } from './open-files';
import type { FileTransfers } from '../state/file-transfers';
import { meshSize } from './mesh-size';
import { pageConfig, pageSignalUrls } from './page-config';
import { installTestHooks } from './test-hooks';
import { claimStreamSlot } from './stream-slot';
import { markOnlinePeers, markStage, markedConnections, markedSocket } from './formation-marks';
import { roomLull } from './room-lull';

/**
 * The mesh's counters plus what this tab dropped reading its own store (stats view). Mapped, not the
 * MeshCounters interface itself, so it is a plain record of numbers to the view.
 */
export type RoomCounters = { [K in keyof MeshCounters]: number } & {
  /** Stored rows that no longer parse as a chat message. */
  storedRowsUnreadable: number;
  /** Stored messages whose signature failed on read-back. */
  storedBadSignatureDropped: number;
  /** RTCPeerConnections of this tab not yet closed (bounded by the connection budget). */
  liveConnections: number;
  /** Connection attempts refused because the budget was spent. */
  connectionsRefused: number;
};

/** Everything a room page needs, wired; `close` tears it all down. */
export interface RoomSession {
  /** The room name as typed (private rooms meet under a derived id instead). */
  room: RoomName;
  link: string;
  /** Bodies are end-to-end encrypted (a private room). */
  encrypted: boolean;
  /** Private rooms: peers met here failed the room-key proof and none passed it (see passphrase-check). */
  wrongPassphrase: ReadonlySignal<boolean>;
  peerId: PeerId;
  fingerprint: string;
  /** Why the stored identity was unreadable and a new one made (the page warns); null normally. */
  identityReplaced: IdentityRowProblem | null;
  initialName: string;
  /** Longest text the composer accepts: the same in public and private rooms. */
  maxTextChars: number;
  state: ChatState;
  typing: TypingState;
  /** Desktop notifications: the stored choice, and how to change it. */
  notify: { initial: NotifyLevel; setLevel(level: NotifyLevel): void; requestPermission?: () => Promise<NotificationPermission> };
  setName(name: string): void;
  counters(): RoomCounters;
  /** This tab's open links and how each was found (debug view). */
  links(): LinkInfo[];
  /** Who is linked to whom in the room, as this tab knows it (debug view). */
  topology(): TopologySummary;
  /** "Connect manually": links by copy-and-paste codes, without a signal server. */
  manual: ManualLinker;
  /** Retention limit, export and import of the room's stored history. */
  historyTools: HistoryTools;
  /** A private room's keeper token (shoal-peer --keeper-token); null in public rooms. */
  keeperToken: string | null;
  /** The room's files; null where the browser has no origin private file system (no attachments then). */
  files: FileTransfers | null;
  close(): void;
}

export interface OpenRoomOptions {
  /** A private room's passphrase; null for a public room. */
  passphrase: string | null;
  /** Opens the sockets to the signal server (main.tsx may have opened the first one already). */
  openSocket: OpenSocket;
}

/**
 * Plaintext bytes per chunk of files shared from a browser. Each chunk is one OPFS file written through a
 * writable stream, which costs ~2.6 ms whatever its size (measured here, 64 KiB chunks: ~25 MB/s at most),
 * so chunks are made three times the swarm's default; 192 KiB stays under the wire's 255 KiB per chunk
 * with room for encryption, and one chunk over the swarm's 768 KiB high-water mark still fits under the
 * link's 1 MiB buffer cap. bench:files at load ~20: 0.47 of a bare data channel with 64 KiB, 0.69 with 192 KiB.
 */
const BROWSER_CHUNK_BYTES = 192 * 1024;

/**
 * Opens a room in this tab: signaling and the WebRTC connector first, then history and identity from
 * IndexedDB, the mesh and the view state. This module (and idb, the mesh) loads only when
 * a room is opened, so the landing page stays light.
 */
export async function openRoom(room: RoomName, options: OpenRoomOptions): Promise<RoomSession> {
  markStage('open-room');
  // Private rooms: the server, the mesh and storage only ever see derived ids and ciphertext. The server
  // room comes from the name alone, so that a peer with another passphrase is met and told apart.
  const key = options.passphrase === null ? null : await deriveRoomKey(room, options.passphrase);
  const meshRoom = key ? toRoomName(key.roomId) : room;
  const signalRoom = key ? toRoomName(key.rendezvousId) : room;
  const codec = key ? roomKeyCodec(key) : plainCodec;
  const peerId = toPeerId(crypto.randomUUID());
  if (!peerId) throw new Error('crypto.randomUUID returned a malformed id');
  const clock = browserClock();
  // Signaling and WebRTC need neither the store nor the identity: they start first, and the mesh (which
  // needs both) takes the links over once it exists. ICE then overlaps IndexedDB and key loading.
  const size = meshSize(location.search, pageConfig('shoal-mesh'));
  // Every RTCPeerConnection of the tab, dialled or pasted by hand, counts against one budget.
  const connections = createConnectionBudget(markedConnections(createNativePeerConnection));
  const links = startRoomLinks({
    selfId: peerId,
    room: signalRoom,
    urls: pageSignalUrls(),
    openSocket: markedSocket(options.openSocket),
    createConnection: connections.create,
    clock,
    random: Math.random,
    options: size,
  });
  const { signaling, connector } = links;
  /** Closers of what is open so far, run last-opened first. */
  const opened: Array<() => void> = [links.close];
  const closeAll = () => {
    // Leave first: the server tells the others at once instead of when the socket times out.
    signaling.close();
    for (const close of opened.splice(0).reverse()) close();
  };
  let iceServers: IceServer[] = [];
  signaling.on('welcome', (welcome) => {
    markStage('welcome');
    iceServers = welcome.iceServers;
  });

  try {
    // The stream slot, the database and the file store are each a few round trips to the browser
    // process, which is busy while a room forms: they are asked for at once, not one after another.
    const slotClaimed = claimStreamSlot(navigator.locks, meshRoom);
    const fileStoreOpened = openRoomFileStore(meshRoom);
    // Awaited further down; should opening fail before that, its failure is not the one to report.
    fileStoreOpened.catch(() => undefined);
    // Set once the identity is loaded (it lives in this database); nothing of ours is written before.
    let ownStream = '';
    let keep = loadRoomLimit(localStorage, HISTORY_LIMIT, meshRoom);
    // Failed writes surface in the room once its state exists; until then (opening) they are logged.
    let reportWriteError = (error: unknown) => console.error('history write failed:', error);
    const dbOpened = openHistoryDb({
      parse: toRoomEvent,
      ownAuthor: () => ownStream,
      retention: () => ({ ...DEFAULT_RETENTION, maxEvents: keep }),
      onWriteError: (error) => reportWriteError(error),
      durable: (message) => message.author === ownStream,
      outbox: createOutbox(localStorage, peerId, toRoomEvent),
      clock,
    });
    // Own messages are kept in a synchronous outbox until committed; others may be written just after
    // (peers hold copies).
    const [slotResult, dbResult] = await Promise.allSettled([slotClaimed, dbOpened]);
    if (slotResult.status === 'fulfilled') opened.push(slotResult.value.release);
    if (dbResult.status === 'fulfilled') opened.push(dbResult.value.close);
    if (slotResult.status === 'rejected') throw slotResult.reason;
    if (dbResult.status === 'rejected') throw dbResult.reason;
    const streamSlot = slotResult.value;
    const db = dbResult.value;
    markStage('history-db');
    const { identity, replaced: identityReplaced } = await loadOrCreateIdentity(db.keys);
    markStage('identity');
    const initialName = loadName(localStorage);
    const verifier = createSignatureVerifier();
    ownStream = await streamIdOf(verifier, identity.publicKey, streamSlot.slot);
    const mesh = createMesh({
      self: { peerId, name: initialName, streamSlot: streamSlot.slot },
      room: meshRoom,
      identity,
      verifier,
      store: db.history,
      clock,
      newId: () => crypto.randomUUID(),
      options: size,
      roomProofs: key ? [key.proof] : undefined,
      // A failing handler or store write is a bug to see in the console, not a reason to stop chatting.
      onError: (error) => console.error('mesh:', error),
    });
    opened.push(mesh.close);
    opened.push(mesh.on('peers', markOnlinePeers()));
    opened.push(mesh.on('peers', busyOnMembership()));
    markStage('mesh');
    const passphraseCheck = createPassphraseCheck(mesh);
    opened.push(passphraseCheck.dispose);
    const manualLinks = createManualLinks();
    const manual = createManualLinker({
      clock,
      createConnection: connections.create,
      iceServers: () => iceServers,
      onLink: (link) => mesh.addLink(manualLinks.track(link)),
    });
    opened.push(manual.cancel);
    // Before the chat state: file events it decodes from the store go to the transfers at once.
    let showOwn: (event: SignedEvent) => void = () => undefined;
    const files = openRoomFiles({
      room: meshRoom, store: await fileStoreOpened, encrypted: key !== null, storage: localStorage, search: location.search,
      createSwarm: (store, limits) =>
        createFileSwarm({
          mesh, store, clock, codec,
          options: { maxFileBytes: limits.maxFileBytes, roomQuotaBytes: limits.quotaBytes, chunkSize: BROWSER_CHUNK_BYTES },
          onError: (error) => console.error('files:', error),
        }),
      show: (event) => showOwn(event),
    });
    if (files) opened.push(files.close);
    let ownName = initialName;
    let notifyLevel = loadNotifyLevel(localStorage);
    const ownAuthors = rememberSession(sessionStorage, ownStream);
    const notify = createNotifier({
      room, level: () => notifyLevel, ownName: () => ownName, isOwn: (message) => ownAuthors.has(message.author), show: browserNotify,
    });
    // Set once the typing state exists (it names typers from the chat state's messages).
    let typingArrived: (messages: readonly ViewMessage[]) => void = () => undefined;
    const state = createChatState({
      room: meshRoom, ownAuthors, mesh, history: db.history, serverStatus: signaling.status, codec,
      initialName,
      onArrived(messages, visible) {
        roomLull.busy();
        typingArrived(messages);
        notify(messages, visible);
      },
      verify: async (message) => (await verifyEvent(verifier, message)) === 'ok',
      fingerprint: (publicKey) => verifier.fingerprint(publicKey),
      // Messages render at once up to 20 a second (a history sync renders 20 times a second).
      schedule: throttledScheduler(clock, 50, 4),
      // Peer updates (every link's handshake, name and pongs) render at most 4 times a second.
      schedulePeers: throttledScheduler(clock, 250, 2),
      ...(files && { onFileEvent: files.transfers.seen }),
    });
    opened.push(state.dispose);
    showOwn = state.show;
    // Typers are named from what this tab already knows: the name their key last wrote under (a
    // private room's names travel only inside encrypted messages), else the name their link announced.
    const typing = createTypingState({
      mesh, clock,
      nameOf(remote) {
        const peer = mesh.peers().find((known) => known.peerId === remote);
        if (!peer) return '';
        return state.messages.value.findLast((message) => message.fingerprint === peer.fingerprint && message.name !== '')?.name ?? peer.name;
      },
      fingerprintOf: (remote) => mesh.peers().find((known) => known.peerId === remote)?.fingerprint,
    });
    typingArrived = typing.arrived;
    opened.push(typing.dispose);
    reportWriteError = (error) => {
      console.error('history write failed:', error);
      state.reportStorageError(error);
    };
    const historyTools: HistoryTools = {
      keep,
      setKeep(limit) {
        keep = limit;
        saveRoomLimit(localStorage, HISTORY_LIMIT, meshRoom, limit);
        void db.history.trim(meshRoom);
      },
      exportFile: async () => new Blob(await exportHistory(db.history, meshRoom, clock.now()), { type: 'application/x-ndjson' }),
      fileLimits: files?.limits() ?? { quotaBytes: FILE_QUOTA_LIMIT.fallback, maxFileBytes: MAX_FILE_SIZE_LIMIT.fallback },
      setFileLimits: (limits) => files?.setLimits(limits),
      async importFile(file) {
        const parsed = parseHistoryFile(await file.text(), meshRoom);
        if (!parsed.ok) return `Not imported: ${parsed.message}.`;
        const report = await mesh.ingest(parsed.events);
        const refused = report.refused + parsed.unreadable;
        return `Imported ${report.accepted} ${report.accepted === 1 ? 'event' : 'events'}; ${report.duplicates} already here; ${refused} refused (unreadable, wrong signature or another room).`;
      },
    };
    // After the state subscribed, so no message of an early link is missed (shown once the page is in).
    links.bind(mesh);
    await state.load();
    markStage('history-shown');

    opened.push(installTestHooks(location.search, window, {
      peerId,
      cut(remote) {
        const dialled = connector.cut(remote);
        return manualLinks.cut(remote) || dialled;
      },
      counters: () => mesh.counters(),
      peers: () => mesh.peers(),
      linkedPeerIds: () => [...new Set([...connector.linkedPeerIds(), ...manualLinks.linkedPeerIds()])],
      vector: () => db.history.vector(meshRoom),
      liveConnections: connections.live,
    }));
    const close = () => {
      removeEventListener('pagehide', close);
      closeAll();
    };
    addEventListener('pagehide', close);
    markStage('room-open');

    return {
      room,
      link: roomLink(location, room, key !== null),
      encrypted: key !== null,
      wrongPassphrase: passphraseCheck.wrong,
      peerId,
      fingerprint: identity.fingerprint,
      identityReplaced,
      initialName,
      maxTextChars: MAX_TEXT_CHARS,
      state,
      typing,
      notify: {
        initial: notifyLevel,
        setLevel(level) {
          notifyLevel = level;
          saveNotifyLevel(localStorage, level);
        },
        ...(typeof Notification !== 'undefined' && { requestPermission: () => Notification.requestPermission() }),
      },
      setName(name) {
        ownName = name;
        saveName(localStorage, name);
        state.setName(name);
      },
      counters: () => ({
        ...mesh.counters(),
        storedRowsUnreadable: db.history.skippedRows(),
        storedBadSignatureDropped: state.storedRejected.value,
        liveConnections: connections.live(),
        connectionsRefused: connections.refused(),
      }),
      links() {
        const routes = new Map<string, LinkInfo['route']>(connector.linkRoutes().map(({ peerId: id, route }) => [id, route]));
        // A linked peer the connector did not dial came through a pasted invite.
        return mesh
          .peers()
          .filter((peer) => peer.state === 'online')
          .map((peer) => ({ peerId: peer.peerId, name: peer.name, route: routes.get(peer.peerId) ?? 'manual', rttMs: peer.rttMs }));
      },
      topology: () => topologyRows(mesh.topology(), clock.now()),
      manual,
      historyTools,
      keeperToken: key ? await key.keeperToken() : null,
      files: files?.transfers ?? null,
      close,
    };
  } catch (error) {
    closeAll();
    throw error;
  }
}

function toRoomName(id: string): RoomName {
  const parsed = v.safeParse(RoomNameSchema, id);
  if (!parsed.success) throw new Error('the derived room id is not a valid room name');
  return parsed.output;
}

/** The room is busy while peers come, go or change state (a pong alone is not activity). */
function busyOnMembership(): (peers: readonly PeerInfo[]) => void {
  let states = '';
  return (peers) => {
    const now = peers.map((peer) => `${peer.peerId}:${peer.state}`).join();
    if (now === states) return;
    states = now;
    roomLull.busy();
  };
}
