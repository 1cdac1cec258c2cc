import type { PeerId } from '../ids';
import type { RoomName, SignalData } from '../protocol/signal-messages';
import type { FileLinkHandler } from './file-ports';
import type { LinkCloseReason } from './mesh-errors';
import type { PeerLink } from './peer-link';
import type { RoomProof } from './room-proof';
import type { RedactedEvent, RoomEvent, SignedEvent } from '../protocol/room-events';

/**
 * The contract between the pure mesh core (create-mesh.ts) and its users (web/src/state, tests,
 * benchmarks). Everything that does I/O is injected through MeshDeps.
 */

/** An event as delivered to the app and stored in history (validated, signature verified). */
export type { RoomEvent };

/** Per-author-stream high-water marks: author stream (v2) or session (v1) id -> highest contiguous seq held. */
export type VersionVector = Record<string, number>;

/** Persistent history, owned by the app (IndexedDB in the browser, memory in tests). */
export interface HistoryStore {
  /** Idempotent by id; resolves true when the event was new. */
  put(event: RoomEvent): Promise<boolean>;
  has(id: string): Promise<boolean>;
  /** The stored event with this id, if any (author-only rules look up what an edit or delete names). */
  get(room: RoomName, id: string): Promise<RoomEvent | null>;
  /** Stored events whose `target` is `id` (reactions, edits, deletes of it), at most `limit`. */
  targeting(room: RoomName, id: string, limit: number): Promise<RoomEvent[]>;
  /** Ids that stored `delete` events of the room name (read once per session; later deletes are tracked). */
  deleteTargets(room: RoomName): Promise<string[]>;
  /** Replaces a stored event by its redacted form (same id): its author deleted it; the body must go. */
  redact(event: RedactedEvent): Promise<void>;
  /** What this store holds for the room, as a version vector. */
  vector(room: RoomName): Promise<VersionVector>;
  /** The newest `limit` events of the room, oldest first (display order). */
  recent(room: RoomName, limit: number): Promise<RoomEvent[]>;
  /** Events of the room the `remote` vector lacks, oldest first, at most `limit`. */
  missingFrom(room: RoomName, remote: VersionVector, limit: number): Promise<RoomEvent[]>;
  /** The highest Lamport time stored for the room (0 when empty), to resume the clock after a reload. */
  maxLamport(room: RoomName): Promise<number>;
}

/** Signs and verifies with long-term identity keys (WebCrypto Ed25519, else ECDSA P-256). */
export interface Identity {
  /** This browser's public key, base64url. */
  readonly publicKey: string;
  /** Short, stable, human-comparable fingerprint of publicKey. */
  readonly fingerprint: string;
  sign(data: Uint8Array): Promise<string>;
}
export interface SignatureVerifier {
  verify(publicKey: string, signature: string, data: Uint8Array): Promise<boolean>;
  fingerprint(publicKey: string): Promise<string>;
  /** SHA-256 of `data`, base64url (event ids, body hashes, stream ids). */
  digest(data: Uint8Array): Promise<string>;
}

/** Timers are injected so tests drive time deterministically. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface MeshOptions {
  /** Ping interval per link, ms. Default 2000. */
  pingIntervalMs: number;
  /** Missed pongs in a row before a link is declared dead and closed. Default 3. */
  maxMissedPongs: number;
  /** Hops a chat message may travel; stops runaway floods. Default 16. */
  hopLimit: number;
  /** Seen-id cache bounds. Defaults 10,000 ids and 10 minutes. */
  seenMaxEntries: number;
  seenTtlMs: number;
  /** Messages per history-sync batch. Default 500 (also capped by MAX_HISTORY_BATCH and frame bytes). */
  historyBatchSize: number;
  /**
   * A requester that lacks more than one batch and lists nothing held above its marks (a fresh or
   * returning peer) is first sent the newest this-many events it lacks, so it can show the room at
   * once; the rest follows oldest first (its next request lists those as held). 0 = oldest first
   * only. Default 50.
   */
  historyNewestFirst: number;
  /**
   * Messages pulled from one link by history sync, as a token bucket (burst, then perSecond). Default
   * HISTORY_PULL_BUDGET: 200,000 at once, then 2,000/s.
   */
  historyPullBudget: { perSecond: number; burst: number };
  /** Bytes of history answers sent to one link, as a token bucket. Default HISTORY_ANSWER_BUDGET: 64 MiB, then 512 KiB/s. */
  historyAnswerBudget: { perSecond: number; burst: number };
  /** Offline peers kept in the peer list. Default 64. */
  maxOfflinePeers: number;
  /** Author session ids whose key binding is remembered (least recently used evicted). Default 10,000. */
  maxKnownAuthors: number;
  /** Up to this many known peers (self included) the mesh asks for a link to everyone. Default 32. */
  fullMeshUpTo: number;
  /** In bigger rooms: links kept per peer (random, refreshed); flooding still reaches all. Default 8. */
  targetDegree: number;
  /**
   * In bigger rooms: this often a peer links to one more random peer it knows of and, once that link
   * is open, lets go of one it can spare, so the random graph keeps changing instead of setting around
   * whoever joined first. 0 = never. Default 300,000 ms: a new link pushes every message until its
   * first duplicate prunes it, and a dropped tree link waits for grafts, so each rotation costs the
   * broadcast tree copies; once a minute, a 24-tab room renewed up to a quarter of its links between
   * two rounds of messages and spent up to 2.8 copies per delivery where 5 minutes spent 1.2-1.7.
   */
  linkRefreshMs: number;
  /**
   * In bigger rooms: most links a peer holds. Past it, a link whose other end has at least `minDegree`
   * other links is refused (`degree-full`, close reason DEGREE_FULL); a worse-connected newcomer is
   * kept and a link of a well-connected neighbour is shed instead. Default 2 × targetDegree.
   */
  maxDegree: number;
  /**
   * Links a peer is never pushed below by another's shedding (keeps the graph connected). Default 3;
   * never more than targetDegree, or with a small target nobody could ever spare a link for the cap.
   */
  minDegree: number;
  /**
   * Own neighbour list re-announced at least this often (it is also announced, at the next ping
   * interval, whenever it changes); others' lists not refreshed within 3× this are dropped. Default 30,000 ms.
   */
  topologyRefreshMs: number;
  /**
   * In bigger rooms (past `fullMeshUpTo`): send each message down a broadcast tree (Plumtree) instead of
   * flooding every link; the other links only get `ihave` announcements. Default true.
   */
  broadcastTrees: boolean;
  /**
   * Broadcast trees: how long an event announced by `ihave` may be missing before the announcing link is
   * grafted into the tree and asked for it (then the next announcer after half this), at least: while
   * the tree's copies come late, up to 4× this (see broadcast-tree.ts). Default 400 ms: well above a
   * tree path's latency in a room of hundreds, well below history sync's poll.
   */
  graftTimeoutMs: number;
  /** Broadcast trees: announcements to a lazy link wait this long to go out as one `ihave`. Default 50 ms. */
  ihaveBatchMs: number;
  /**
   * In bigger rooms: this often a peer sends a membership shuffle (HyParView, see membership.ts) on a
   * random walk, refreshing passive views with members from across the room. 0 = never. Default 10,000 ms.
   */
  shuffleMs: number;
  /**
   * How long a peer whose link was closed for ABUSE or OVER_BUDGET is refused (close reason BANNED) and
   * not worth re-dialling (see Mesh.bannedUntil). Timed, not forever: a peer framed by others, or one
   * that stopped, gets back in. Default 600,000 ms (10 minutes).
   */
  banMs: number;
}

export interface MeshDeps {
  /**
   * `peerId`: this page load's link identity. `streamSlot`: which of the identity's streams this writer
   * owns (0..MAX_STREAM_SLOTS-1, default 0); two writers of one key must never share a slot, or their
   * seqs collide (the browser hands slots out under a Web Lock, see web/src/room/stream-slot.ts).
   */
  self: { peerId: PeerId; name: string; streamSlot?: number };
  room: RoomName;
  identity: Identity;
  verifier: SignatureVerifier;
  store: HistoryStore;
  clock: Clock;
  /** UUID source for message ids (lowercase: peers refuse other ids). */
  newId(): string;
  /** Randomness for peer sampling; injected so simulations are reproducible. Default Math.random. */
  random?(): number;
  /**
   * Handshake and ping nonces (base64url, 16–32 chars). They must be unpredictable: the default draws
   * 16 bytes from WebCrypto. Only simulations inject a seeded source, to replay a run exactly.
   */
  newNonce?(): string;
  options?: Partial<MeshOptions>;
  /**
   * A private room's proofs of the room secret (see RoomProof): each link then proves one before
   * anything else, its hello included, is sent. Omitted or empty: a public room.
   */
  roomProofs?: readonly RoomProof[];
  /**
   * Receives errors thrown by event handlers and by the store while handling a frame; the mesh keeps
   * running. Default: rethrown on a microtask (surfaces as an uncaught error).
   */
  onError?(error: unknown): void;
}

export type PeerState = 'connecting' | 'online' | 'offline';

export interface PeerInfo {
  peerId: PeerId;
  name: string;
  fingerprint: string;
  state: PeerState;
  /** Last measured round-trip time, ms; null before the first pong. */
  rttMs: number | null;
}

export interface MeshCounters {
  framesSent: number;
  framesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** Chat messages delivered to the app for the first time (own and remote). */
  delivered: number;
  /** Chat messages forwarded to other links. */
  forwarded: number;
  /** Chat frames handed to links: own messages to every open link, plus `forwarded` copies. */
  chatFramesSent: number;
  /**
   * Chat frames received on open links, every copy (before de-dup): over remote deliveries, the copies
   * spent per message delivered — about the degree when flooding, about 1 under broadcast trees (see
   * e2e/fixtures/flood-copies.ts).
   */
  chatFramesReceived: number;
  duplicatesDropped: number;
  malformedDropped: number;
  badSignatureDropped: number;
  hopLimitDropped: number;
  historyMessagesReceived: number;
  historyMessagesSent: number;
  /** Messages whose author session id is bound to another key (impersonation attempts). */
  authorKeyMismatchDropped: number;
  /** link.send returned false (closed or full channel). */
  sendFailures: number;
  /** Links whose hello was refused or whose proof did not verify. */
  handshakeFailures: number;
  /** Links closed for repeated bad frames (ABUSE) or overload. */
  abusiveLinksClosed: number;
  /** Inbound frames dropped unread because their link was over its frame or byte budget. */
  overBudgetDropped: number;
  /** Links closed (OVER_BUDGET) for exceeding their budget again and again. */
  overBudgetLinksClosed: number;
  /** Links refused (BANNED) because their peer's timed ban had not run out. */
  bannedLinksRefused: number;
  /** Verified chat messages not delivered, stored or forwarded: their author was over its budget. */
  authorThrottledDropped: number;
  /** `history-req`s answered empty (or cut short) because the requester's answer budget was spent. */
  historyAnswersLimited: number;
  /** `history-batch` frames dropped: no request of ours outstanding, or more messages than we asked for. */
  unsolicitedBatchesDropped: number;
  /** Sync rounds cut short because the history pull budget for that link was spent. */
  historyPullsLimited: number;
  /** Relayed topology entries ignored: over MAX_TOPOLOGY_CLAIMS_PER_LINK, or about a peer linked to us. */
  topologyClaimsDropped: number;
  /** Relayed signals to us refused: the caps on pending relayed peers were full. */
  relaySignalsOverCap: number;
  /** Relayed signals to us whose signature did not verify (dropped; the relay is not blamed). */
  relaySignalsBadSignature: number;
  /** Relayed signals claiming a peer we hold an open link with (never allowed to disturb it). */
  relaySignalsForOpenLink: number;
  /** Relayed signals under another key than the one proven or pending for that peer id. */
  relaySignalsKeyConflict: number;
  /** Private rooms: links closed for a failed or missing room-key proof. */
  roomProofFailures: number;
  /**
   * Events whose Lamport time is more than MAX_CLOCK_SKEW_MS ahead of our wall clock: not adopted (a
   * clock pushed to the limit would make every later message invalid); sync brings them once in range.
   */
  lamportAheadDropped: number;
  /** Edits and deletes signed by another key than the event they name. */
  forgedEditsDropped: number;
  /** Remote events delivered for the first time by a chat frame (not by history sync). */
  chatDelivered: number;
  /** Broadcast trees: `ihave` frames sent to and received from lazy links (announcements, batched). */
  ihaveSent: number;
  ihaveReceived: number;
  /** Broadcast trees: `graft` frames asking for events (a lazy announcement beat the tree), sent and received. */
  graftsSent: number;
  graftsReceived: number;
}

/** One room member's links as this peer last heard them (debug view of the mesh). */
export interface TopologyEntry {
  peerId: PeerId;
  name: string;
  /** Peers it is linked to (at most MAX_PEER_LIST; a claim of that peer, not verified). */
  neighbours: PeerId[];
  /** When this peer received that list (its own clock, ms); now for the own entry. */
  updatedAt: number;
}

/** What `ingest` did with each event. */
export interface IngestReport {
  accepted: number;
  /** Already held. */
  duplicates: number;
  /** Failed verification, another room, a forged edit, or a clock too far ahead. */
  refused: number;
}

export interface MeshMemory {
  /** Links adopted and not yet closed (handshaking or open). */
  links: number;
  /** Ids in the seen cache (≤ seenMaxEntries). */
  seenIds: number;
  /** Author session ids bound to a key (bounded). */
  knownAuthors: number;
  /** Other peers' neighbour lists held for topology() (bounded). */
  topologyPeers: number;
  /**
   * Room size as gossip tells it, used for link policy (big room or not): entries vouched for by the
   * peer itself or by two links, plus at most MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK per single link.
   */
  gossipedRoomSize: number;
}

export interface MeshEvents {
  /**
   * A chat message seen for the first time: a remote one already verified and stored; an own one right
   * after signing, its store write possibly still running (see `send`).
   */
  message: RoomEvent;
  /** The peer list changed (joined, handshake done, RTT, state). */
  peers: PeerInfo[];
  /** A link was closed (by either side); `peerId` is null when its hello never arrived. */
  'link-closed': { peerId: PeerId | null; reason: LinkCloseReason };
  /**
   * Peer exchange found a room member worth linking to: open a WebRTC link as initiator and route its
   * signaling through `relaySignal` (or the signal server when up). `via` is who told us about it.
   */
  'want-link': { peerId: PeerId; via: PeerId };
  /**
   * A signaling payload routed to us through the mesh, its signature verified under `publicKey`: feed it
   * to the peer connection for `from`, and add the link that results with `expectedKey: publicKey`.
   * `via` is the neighbour it arrived from (caps on pending connections are per neighbour).
   */
  'relay-signal': { from: PeerId; data: SignalData; publicKey: string; via: PeerId };
  /**
   * Private rooms: a peer failed the room-key proof (it has another passphrase, or is an outsider). When
   * every peer met fails it, this tab's passphrase is the odd one out.
   */
  'room-key-mismatch': { peerId: PeerId };
  /** A peer speaks another protocol version (its link is refused): tell the user who must reload. */
  'version-mismatch': { peerId: PeerId; version: number };
  /** The room's topology as known here changed (checked once per ping interval); same as topology(). */
  topology: TopologyEntry[];
  /**
   * An author's key went over its budget (AUTHOR_MESSAGE_BUDGET / AUTHOR_STORAGE_BUDGET): its live
   * messages are dropped (not delivered, stored or forwarded) until about `until` (clock ms). The budget
   * is per `publicKey` (whatever author ids it signs under); `author` is the author id (v1 session or
   * v2 stream) of the event that went over it. Emitted once per episode.
   */
  'author-throttled': { publicKey: string; author: string; until: number };
  /** A peer was banned until `until` (clock ms) after its link closed for ABUSE or OVER_BUDGET. */
  'peer-banned': { peerId: PeerId; until: number; reason: LinkCloseReason };
  /** A linked peer is typing (show it for `showMs`) or stopped (0). Ephemeral: never stored or synced. */
  typing: { peerId: PeerId; showMs: number };
}

export interface Mesh {
  /**
   * Adopts a freshly opened link; `expectedPeer` is who signaling says is on the other end, if known.
   * `expectedKey`: the key its relayed signals were signed with; a hello under another key is refused
   * (RELAY_KEY_MISMATCH).
   */
  addLink(link: PeerLink, expectedPeer?: PeerId, expectedKey?: string): void;
  /**
   * Signs a new message, then at once delivers it locally (`message` event) and floods it while the
   * store write runs in parallel. Resolves after that write settled. A failed write does not reject:
   * the message is already out; the error goes to `onError` as MeshError STORE_FAILED and the write is
   * retried every ping interval (the seen cache would stop any copy from coming back to be stored).
   */
  send(body: string): Promise<SignedEvent>;
  /**
   * Signs and sends an event of any kind (the body already encoded: content JSON, or its envelope in a
   * private room). An edit or delete must name an own event. Same delivery and storage as `send`.
   */
  publish(draft: { kind: string; body: string; target?: string }): Promise<SignedEvent>;
  /**
   * Takes events from outside the mesh (an imported history file, a keeper's disk) through the same
   * pipeline as received ones: verified, bounded, author rules and tombstones applied, stored and
   * delivered; peers then get them by history sync. Events of another room are refused.
   */
  ingest(events: readonly RoomEvent[]): Promise<IngestReport>;
  /**
   * Signs a WebRTC signaling payload and routes it to `to` over the mesh (signals go out in call order);
   * false when no open link could carry it.
   */
  relaySignal(to: PeerId, data: SignalData): boolean;
  /**
   * Members of the room as far as this peer's links and the gossiped topology tell, self included: what
   * peer exchange and the connector size the room by (isBigRoom).
   */
  roomSize(): number;
  setName(name: string): void;
  /**
   * Tells open links this reader is typing (true) or stopped (false). The first notice waits
   * TYPING_START_DELAY_MS (a stop before then cancels it: nothing is sent), then at most one frame per
   * TYPING_INTERVAL_MS while typing; false when nothing was sent now.
   */
  sendTyping(active: boolean): boolean;
  peers(): PeerInfo[];
  /**
   * Who is linked to whom in the room as this peer knows it: its own entry first, then every peer whose
   * gossiped neighbour list arrived (lists travel one ping interval per hop; see TopologyEntry).
   */
  topology(): TopologyEntry[];
  counters(): MeshCounters;
  /**
   * When the timed ban on `peerId` ends (clock ms), or null when it is not banned: links from it are
   * refused (BANNED) until then, and a connector should not re-dial it before.
   */
  bannedUntil(peerId: PeerId): number | null;
  /** Sizes of the mesh's bounded internal tables (tests assert they stay bounded; debug views). */
  memory(): MeshMemory;
  /**
   * Attaches the room's file swarm (shared/src/files): it receives the file frames of open links and
   * hears of links opening and closing. One handler at a time; returns the function that detaches it.
   */
  attachFiles(handler: FileLinkHandler): () => void;
  /**
   * Asks for a link to a room member we are not linked to (emits `want-link` with `via` = self, which
   * the connector dials through the server or relayed signaling): the file swarm's link on demand to
   * holders beyond its neighbours in big rooms. False when closed, already linked, or the peer is banned.
   */
  requestLink(peerId: PeerId): boolean;
  on<K extends keyof MeshEvents>(event: K, handler: (payload: MeshEvents[K]) => void): () => void;
  /** Closes every link and stops timers. */
  close(): void;
}
