import {
  type CryptoKeyPairHandle,
  type Clock,
  type IceServer,
  type MessageCodec,
  type PeerInfo,
  type RoomEvent,
  type RoomName,
  type RoomProof,
  type SignedEvent,
  type SignatureVerifier,
  createIdentity,
  createMesh,
  decodeEvent,
  encodeContent,
  streamIdOf,
  isLegacy,
  toPeerId,
} from '@shoal/shared';
import { type ManualLinker, createManualLinker, startRoomLinks } from '@shoal/shared/link';
import { type ChunkStore, type FileResult, type FileSwarmOptions, type KeepingFileSwarm, createFileSwarm } from '@shoal/shared/files';
import { plainCodec } from '@shoal/shared';
import { keepFiles } from './keep-files';
import { openFileSource } from './node-file-source';
import { randomUUID } from 'node:crypto';
import { nodeSocket } from './node-socket';
import type { PeerEvent } from './peer-events';
import type { SqliteHistory } from './sqlite-history';
import { createWrtcConnection } from './wrtc-connections';

/** Stored events shown when a room opens (the rest stay available to peers through sync). */
export const HISTORY_SHOWN = 50;

export interface JoinRoomDeps {
  /** The room as the mesh sees it (a private room's derived id: events are signed under it). */
  room: RoomName;
  /** The room as the signal server sees it (a private room's rendezvous id). */
  signalRoom: RoomName;
  /** Private rooms: how this peer proves the room in the handshake (room key or keeper capability). */
  roomProofs: RoomProof[];
  signal: string[];
  name: string;
  keyPair: CryptoKeyPairHandle;
  store: SqliteHistory;
  verifier: SignatureVerifier;
  /** Opens bodies for display; null keeps the room blind (ciphertext stored and served, never read). */
  codec: MessageCodec | null;
  clock: Clock;
  emit(event: PeerEvent): void;
  /** The room's files: where chunks live, the swarm's bounds, and whether to fetch every file (a keeper). */
  files: { store: ChunkStore; options: Partial<FileSwarmOptions>; keepAll: boolean };
}

export interface JoinedRoom {
  room: RoomName;
  peerId: string;
  fingerprint: string;
  /** Signs and sends a text message; resolves with its id once stored. */
  say(text: string): Promise<string>;
  setName(name: string): void;
  peers(): PeerInfo[];
  manual: ManualLinker;
  /** The room's file swarm (fetch, read, transfer states). */
  files: KeepingFileSwarm;
  /** Shares a local file (read in slices); resolves with its signed `file` event. */
  shareFile(path: string): Promise<FileResult<SignedEvent>>;
  close(): void;
}

/**
 * One room in this process: the same link policy and mesh as a browser tab (shared/src/link,
 * shared/src/mesh), over WebRTC in Node and a SQLite history. Everything it observes goes out through
 * `emit` as PeerEvents; the terminal and the JSON interface only format them.
 */
export async function joinRoom(deps: JoinRoomDeps): Promise<JoinedRoom> {
  const peerId = toPeerId(randomUUID());
  if (!peerId) throw new Error('randomUUID returned a malformed id');
  const { room, store, verifier, codec, emit } = deps;
  const links = startRoomLinks({
    selfId: peerId, room: deps.signalRoom, urls: deps.signal, openSocket: nodeSocket, createConnection: createWrtcConnection, clock: deps.clock, random: Math.random,
  });
  const closers: Array<() => void> = [links.close];
  try {
    const identity = await createIdentity(deps.keyPair);
    // One process, one writer per key and room: slot 0 (a second process on the same --keep DIR would fork it).
    const ownStream = await streamIdOf(verifier, identity.publicKey, 0);
    const joinedAt = deps.clock.now();
    let name = deps.name;
    const mesh = createMesh({
      self: { peerId, name, streamSlot: 0 },
      room,
      identity,
      verifier,
      store,
      clock: deps.clock,
      newId: randomUUID,
      ...(deps.roomProofs.length > 0 && { roomProofs: deps.roomProofs }),
      onError: (error) => emit({ type: 'error', code: 'MESH', message: error instanceof Error ? error.message : String(error), room }),
    });
    closers.push(mesh.close);
    const files = createFileSwarm({
      mesh, store: deps.files.store, clock: deps.clock, codec: codec ?? plainCodec, options: deps.files.options,
      onError: (error) => emit({ type: 'error', code: 'MESH', message: error instanceof Error ? error.message : String(error), room }),
    });
    closers.push(files.close);
    if (deps.files.keepAll) closers.push(keepFiles({ mesh, swarm: files, codec, clock: deps.clock, stored: store.fileEvents(room, 10_000) }).close);
    let iceServers: IceServer[] = [];
    links.signaling.on('welcome', (welcome) => {
      iceServers = welcome.iceServers;
    });
    const manual = createManualLinker({ createConnection: createWrtcConnection, iceServers: () => iceServers, onLink: (link) => mesh.addLink(link), clock: deps.clock });
    closers.push(manual.cancel);

    const describe = async (event: RoomEvent, history: boolean): Promise<PeerEvent> => {
      const fingerprint = await verifier.fingerprint(event.publicKey);
      const own = event.author === ownStream;
      if (!codec) {
        return { type: 'message', room, id: event.id, kind: isLegacy(event) ? 'text' : event.kind, author: event.author, fingerprint, name: '', text: null, sentAt: event.sentAt, history, own, problem: 'BLIND', ...('bodyHash' in event && { deleted: true as const }) };
      }
      const view = await decodeEvent(codec, event);
      const text = view.kind === 'reaction' ? (view.emoji ?? null) : view.body === '' ? null : view.body;
      return {
        type: 'message', room, id: view.id, kind: view.kind, author: view.author, fingerprint, name: view.name, text, sentAt: view.sentAt, history, own,
        ...(view.target !== undefined && { target: view.target }),
        ...(view.replyTo !== undefined && { replyTo: view.replyTo }),
        ...(view.deleted === true && { deleted: true as const }),
        ...(view.problem !== undefined && { problem: view.problem }),
      };
    };
    // Output keeps the order events arrived in even though describing one awaits (fingerprint, decryption),
    // and waits for the store's commit: whatever is printed survives a kill -9 (see sqlite-history.ts).
    let queue = Promise.resolve();
    const output = (make: () => Promise<PeerEvent>) => {
      queue = queue
        .then(async () => {
          const event = await make();
          await store.committed();
          return event;
        })
        .then(emit, (error: unknown) => emit({ type: 'error', code: 'MESH', message: String(error), room }));
    };

    for (const event of await store.recent(room, HISTORY_SHOWN)) output(() => describe(event, true));
    mesh.on('message', (event) => output(() => describe(event, event.sentAt < joinedAt)));
    const known = new Map<string, string>();
    mesh.on('peers', (list) => {
      const seen = new Set<string>();
      for (const peer of list) {
        seen.add(peer.peerId);
        const key = `${peer.state}|${peer.name}|${peer.fingerprint}`;
        if (known.get(peer.peerId) === key) continue;
        known.set(peer.peerId, key);
        output(async () => ({ type: 'peer', room, peerId: peer.peerId, name: peer.name, fingerprint: peer.fingerprint, state: peer.state }));
      }
      for (const gone of [...known.keys()].filter((id) => !seen.has(id))) {
        known.delete(gone);
        output(async () => ({ type: 'peer', room, peerId: gone, name: '', fingerprint: '', state: 'gone' }));
      }
    });
    links.signaling.status.subscribe((status) => output(async () => ({ type: 'signaling', room, status, url: links.signaling.url.value })));
    links.bind(mesh);
    output(async () => ({ type: 'ready', room, peerId, fingerprint: identity.fingerprint, name, blind: codec === null }));

    return {
      room,
      peerId,
      fingerprint: identity.fingerprint,
      async say(text) {
        if (!codec) throw new Error('a blind keeper cannot write: it has no key');
        const event = await mesh.send(await codec.encode(encodeContent('text', { text, name })));
        output(async () => ({ type: 'sent', room, id: event.id }));
        return event.id;
      },
      setName(next) {
        name = next;
        mesh.setName(next);
      },
      peers: () => mesh.peers(),
      manual,
      files,
      async shareFile(path) {
        // A blind keeper has no room key: a file it shared would travel unencrypted in a private room.
        if (!codec) return { ok: false, error: { code: 'READ_FAILED', message: 'a blind keeper cannot share: it has no key' } };
        const source = await openFileSource(path);
        if (!source.ok) return source;
        try {
          const shared = await files.share(source.value);
          if (shared.ok) output(async () => ({ type: 'sent', room, id: shared.value.id }));
          return shared;
        } finally {
          await source.value.close();
        }
      },
      close() {
        for (const close of closers.splice(0).reverse()) close();
      },
    };
  } catch (error) {
    for (const close of closers.splice(0).reverse()) close();
    throw error;
  }
}
