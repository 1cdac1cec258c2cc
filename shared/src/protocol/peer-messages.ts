import * as v from 'valibot';
import type { Result } from '../errors';
import { fail } from '../errors';
import { PeerIdSchema, UUID_PATTERN } from '../ids';
import { utf8Length } from '../crypto/web-crypto';
import {
  MAX_HELD_SEQS,
  MAX_CHUNK_REQUEST,
  MAX_FILE_CHUNKS,
  MAX_HASHES_PER_FRAME,
  MAX_HISTORY_BATCH,
  MAX_HOPS,
  MAX_IHAVE_IDS,
  MAX_SHUFFLE_PEERS,
  MAX_SHUFFLE_TTL,
  MAX_PEER_FRAME_BYTES,
  MAX_PEER_LIST,
  MAX_STORED_CHUNK_BYTES,
  MAX_TOPOLOGY_ENTRIES,
  MAX_TYPING_SHOW_MS,
  MAX_VECTOR_ENTRIES,
} from './limits';
import { parseJsonFrame, schemasByType } from './parse';
import { AnyEventIdSchema, AuthorIdSchema, Counter, EventIdSchema, NameSchema, PublicKeySchema, RoomEventSchema, SignatureSchema } from './room-events';
import { RoomNameSchema, type SignalData } from './signal-messages';

/**
 * Peer<->peer protocol: JSON text frames over one WebRTC data channel per pair of peers. A link starts
 * with `hello` + `hello-proof` (mutual authentication over fresh nonces); everything else is accepted
 * only after that. Every frame is untrusted input: it is parsed here, and chat messages are verified
 * against their author's signature before anything else happens to them.
 */

/** Handshake and ping nonces: 16 random bytes, base64url. */
const NonceSchema = v.pipe(v.string(), v.minLength(16), v.maxLength(32), v.regex(/^[A-Za-z0-9_-]+$/));

export const VersionVectorSchema = v.pipe(
  v.record(AuthorIdSchema, Counter(0)),
  // The frame byte cap already bounds parsing work; this bounds what we keep and iterate later.
  v.check((vector) => Object.keys(vector).length <= MAX_VECTOR_ENTRIES, 'version vector too large'),
);

export const HelloMsg = v.strictObject({
  type: v.literal('hello'),
  /** PROTOCOL_VERSION of the sender. */
  v: v.pipe(v.number(), v.integer()),
  room: RoomNameSchema,
  peerId: PeerIdSchema,
  name: NameSchema,
  publicKey: PublicKeySchema,
  /** Fresh challenge the other side must sign, binding its proof to this very link. */
  nonce: NonceSchema,
});

export const HelloProofMsg = v.strictObject({
  type: v.literal('hello-proof'),
  /** Signature over helloProofBytes(room, signer id + nonce, verifier id + nonce). */
  signature: SignatureSchema,
});

export const PingMsg = v.strictObject({ type: v.literal('ping'), nonce: NonceSchema, t: Counter(0) });
export const PongMsg = v.strictObject({ type: v.literal('pong'), nonce: NonceSchema, t: Counter(0) });

export const ChatMsg = v.strictObject({
  type: v.literal('chat'),
  /** Links this copy has crossed, 1 when it comes from the author. */
  hops: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_HOPS)),
  message: RoomEventSchema,
  /**
   * The author's copies only: the peers the author sent this message to itself. A peer receiving it
   * straight from the author does not forward to those (in a full mesh nobody forwards at all).
   */
  sentTo: v.optional(v.pipe(v.array(PeerIdSchema), v.maxLength(MAX_PEER_LIST))),
});

export const NameMsg = v.strictObject({ type: v.literal('name'), name: NameSchema });

/** Seqs held above the vector's marks, per author; MAX_HELD_SEQS in all. */
export const HeldSeqsSchema = v.pipe(
  v.record(AuthorIdSchema, v.pipe(v.array(Counter(1)), v.maxLength(MAX_HELD_SEQS))),
  v.check((held) => Object.values(held).reduce((sum, seqs) => sum + seqs.length, 0) <= MAX_HELD_SEQS, 'too many held seqs'),
);

export const HistoryReqMsg = v.strictObject({
  type: v.literal('history-req'),
  /** What the requester holds; the answer is what it lacks. Also tells the answerer what it lacks. */
  vector: VersionVectorSchema,
  /**
   * Seqs the requester holds above its marks (after a gap): the answer skips them. Optional and only
   * sent when non-empty, so a request without a gap is the same frame as before.
   */
  held: v.optional(HeldSeqsSchema),
  /**
   * Most messages the requester wants in the answer (its history pull budget left); an answer with more
   * is dropped. Sent only when below the requester's batch size, so a full request is the same frame.
   */
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_HISTORY_BATCH))),
});

export const HistoryBatchMsg = v.strictObject({
  type: v.literal('history-batch'),
  messages: v.pipe(v.array(RoomEventSchema), v.maxLength(MAX_HISTORY_BATCH)),
  /** True when the sender cut the answer short; the requester asks again with its updated vector. */
  more: v.boolean(),
});

/** Peer exchange: "who do you know?" */
export const GetAddrMsg = v.strictObject({ type: v.literal('getaddr') });

/** Peer exchange answer: peers the sender is linked to (a random subset in big rooms). */
export const AddrMsg = v.strictObject({
  type: v.literal('addr'),
  peers: v.pipe(v.array(PeerIdSchema), v.maxLength(MAX_PEER_LIST)),
});

/**
 * "I hold my maximum of links": sent by a peer of a big room instead of keeping a link the other side
 * can spare. The receiver closes the link (DEGREE_FULL) and asks the listed peers instead.
 */
export const DegreeFullMsg = v.strictObject({
  type: v.literal('degree-full'),
  peers: v.pipe(v.array(PeerIdSchema), v.maxLength(MAX_PEER_LIST)),
});

/** One peer's neighbour list as it announced it; `version` grows with each announcement. */
export const TopologyEntrySchema = v.strictObject({
  peerId: PeerIdSchema,
  name: NameSchema,
  version: Counter(0),
  neighbours: v.pipe(v.array(PeerIdSchema), v.maxLength(MAX_PEER_LIST)),
});
export type TopologyEntryFrame = v.InferOutput<typeof TopologyEntrySchema>;

/**
 * Who is linked to whom, for the debug view: gossiped (each peer's own list on change and now and
 * then; others' lists forwarded once per version). Unauthenticated claims: never used for routing.
 */
export const TopologyMsg = v.strictObject({
  type: v.literal('topology'),
  entries: v.pipe(v.array(TopologyEntrySchema), v.minLength(1), v.maxLength(MAX_TOPOLOGY_ENTRIES)),
});

/**
 * A WebRTC signaling payload routed through the mesh to a peer we have no link with (server down, or
 * peer exchange). Signed end to end by its originator (relaySigningBytes: room, id, from, to, data);
 * relays only check the shape, the target verifies before acting on it, and the link it sets up must
 * prove the same `publicKey` in its hello (close reason RELAY_KEY_MISMATCH otherwise).
 */
export const RelaySignalMsg = v.strictObject({
  type: v.literal('relay-signal'),
  /** De-duplication key while the payload floods toward `to`. */
  id: v.pipe(v.string(), v.regex(UUID_PATTERN)),
  from: PeerIdSchema,
  to: PeerIdSchema,
  hops: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_HOPS)),
  // Same rule as the signal server: a JSON object, never an array; the frame cap bounds it.
  data: v.custom<SignalData>((d) => typeof d === 'object' && d !== null && !Array.isArray(d), 'data must be a JSON object'),
  /** The originator's public key; the resulting link's hello must carry the same. */
  publicKey: PublicKeySchema,
  signature: SignatureSchema,
});

/**
 * Private rooms: the first frame of a link, before `hello` (which waits until the room key is proven).
 * Names no one but the sender; `nonce` is also the nonce of the sender's later hello.
 */
export const RoomAuthMsg = v.strictObject({ type: v.literal('room-auth'), peerId: PeerIdSchema, nonce: NonceSchema });

/**
 * Private rooms: proof of the room secret over roomProofBytes (room, prover id + nonce, verifier id +
 * nonce). `scheme` picks the check (`room-key-mac` today; a keeper capability can be another scheme).
 */
export const RoomProofMsg = v.strictObject({
  type: v.literal('room-proof'),
  scheme: v.pipe(v.string(), v.maxLength(32), v.regex(/^[a-z0-9-]+$/)),
  proof: SignatureSchema,
});
export type RelaySignalFrame = v.InferOutput<typeof RelaySignalMsg>;

/**
 * Broadcast trees (Plumtree, issue 14), big rooms only: "I hold these events" on a lazy link, where the
 * event itself is not pushed. A receiver missing one after `graftTimeoutMs` grafts the link.
 */
export const IHaveMsg = v.strictObject({
  type: v.literal('ihave'),
  ids: v.pipe(v.array(AnyEventIdSchema), v.minLength(1), v.maxLength(MAX_IHAVE_IDS)),
});

/**
 * Broadcast trees: "push to me eagerly from now on, and send me these events" (a lazy link joins the
 * tree). Sent with no ids when a link opens: it tells the other side this peer speaks trees, so that a
 * peer that never sends one (an older v2 peer) is never pruned and keeps getting every message pushed.
 */
export const GraftMsg = v.strictObject({
  type: v.literal('graft'),
  ids: v.pipe(v.array(AnyEventIdSchema), v.maxLength(MAX_IHAVE_IDS)),
});

/** Broadcast trees: "that copy was a duplicate; only announce to me from now on" (the link goes lazy). */
export const PruneMsg = v.strictObject({ type: v.literal('prune') });

/**
 * Membership (HyParView shuffle, issue 14), big rooms only: a sample of room members on a random walk
 * of at most MAX_SHUFFLE_TTL hops; `walk` names it so the answer can travel back the same way.
 */
export const ShuffleMsg = v.strictObject({
  type: v.literal('shuffle'),
  walk: NonceSchema,
  ttl: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SHUFFLE_TTL)),
  peers: v.pipe(v.array(PeerIdSchema), v.minLength(1), v.maxLength(MAX_SHUFFLE_PEERS)),
});

/** Membership: the walk's last peer answers with a sample of its passive view, routed back along the walk. */
export const ShuffleReplyMsg = v.strictObject({
  type: v.literal('shuffle-reply'),
  walk: NonceSchema,
  peers: v.pipe(v.array(PeerIdSchema), v.maxLength(MAX_SHUFFLE_PEERS)),
});

/**
 * "I am typing" (ephemeral: sent to open links only, never relayed, stored or synced). It carries no
 * name, so nothing readable travels in the clear in a private room: the receiver names the typer from
 * what it already knows of the link's peer. `showMs` 0 means "stopped" (sent, or draft cleared).
 */
export const TypingMsg = v.strictObject({
  type: v.literal('typing'),
  showMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TYPING_SHOW_MS)),
});

/**
 * Files (shared/src/files): control frames are JSON like the rest; chunks and hash lists travel as
 * binary frames (file-frames.ts). A file is named by its `file` event's id. These frames are charged to
 * the link's chat budget like any other, but they are small: the bytes go in binary frames, bounded by
 * what the receiver itself asked for.
 */
const ChunkIndexSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_FILE_CHUNKS - 1));

/** "Which chunks of this file do you hold?" Answered by `file-have` or `file-none`. */
export const FileQueryMsg = v.strictObject({ type: v.literal('file-query'), file: EventIdSchema });

/**
 * The chunks the sender holds: `bits` is a bitfield (bit i of byte i>>3, most significant first),
 * base64url, of ceil(chunks / 8) bytes. Sent as the answer to `file-query` and again when it grows.
 */
export const FileHaveMsg = v.strictObject({
  type: v.literal('file-have'),
  file: EventIdSchema,
  chunks: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_FILE_CHUNKS)),
  bits: v.pipe(v.string(), v.maxLength(Math.ceil(MAX_FILE_CHUNKS / 8 / 3) * 4), v.regex(/^[A-Za-z0-9_-]*$/)),
  /**
   * The file's size and chunk size as stored (ciphertext in private rooms): what a blind keeper, which
   * cannot read the manifest, sizes its quota by. A claim: the chunks themselves are checked against
   * their hashes, and the bytes really received against the receiver's maximum file size.
   */
  bytes: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_FILE_CHUNKS * MAX_STORED_CHUNK_BYTES)),
  chunkSize: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_STORED_CHUNK_BYTES)),
});

/** "I don't have these" (`indexes` empty: nothing of the file, or no longer). */
export const FileNoneMsg = v.strictObject({
  type: v.literal('file-none'),
  file: EventIdSchema,
  indexes: v.pipe(v.array(ChunkIndexSchema), v.maxLength(MAX_CHUNK_REQUEST)),
});

/** Asks for the chunk hashes [from, from + count): answered by one binary hash-list frame. */
export const FileHashesReqMsg = v.strictObject({
  type: v.literal('file-hashes-req'),
  file: EventIdSchema,
  from: ChunkIndexSchema,
  count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_HASHES_PER_FRAME)),
});

/** Asks for chunks; each is answered by a binary chunk frame or listed in a `file-none`. */
export const FileReqMsg = v.strictObject({
  type: v.literal('file-req'),
  file: EventIdSchema,
  indexes: v.pipe(v.array(ChunkIndexSchema), v.minLength(1), v.maxLength(MAX_CHUNK_REQUEST)),
});

export const FILE_MESSAGE_TYPES = ['file-query', 'file-have', 'file-none', 'file-hashes-req', 'file-req'] as const;
export type FileFrame = v.InferOutput<typeof FileQueryMsg | typeof FileHaveMsg | typeof FileNoneMsg | typeof FileHashesReqMsg | typeof FileReqMsg>;

export const PeerMessageSchema = v.variant('type', [
  FileQueryMsg,
  FileHaveMsg,
  FileNoneMsg,
  FileHashesReqMsg,
  FileReqMsg,
  HelloMsg,
  HelloProofMsg,
  PingMsg,
  PongMsg,
  ChatMsg,
  NameMsg,
  HistoryReqMsg,
  HistoryBatchMsg,
  GetAddrMsg,
  AddrMsg,
  RelaySignalMsg,
  DegreeFullMsg,
  TopologyMsg,
  TypingMsg,
  RoomAuthMsg,
  RoomProofMsg,
  IHaveMsg,
  GraftMsg,
  PruneMsg,
  ShuffleMsg,
  ShuffleReplyMsg,
]);
export type PeerMessage = v.InferOutput<typeof PeerMessageSchema>;
export type HelloMessage = v.InferOutput<typeof HelloMsg>;
export type ChatFrame = v.InferOutput<typeof ChatMsg>;
export type PeerMessageType = PeerMessage['type'];

const PEER_SCHEMAS = schemasByType(PeerMessageSchema);

/**
 * Parses one untrusted data-channel frame. Codes: TOO_LARGE (over MAX_PEER_FRAME_BYTES UTF-8 bytes),
 * BAD_JSON, BAD_SHAPE, UNKNOWN_TYPE. Never throws.
 */
export function parsePeerMessage(text: string): Result<PeerMessage> {
  // Cheap bound first: a UTF-16 unit is at least one UTF-8 byte, so a long string is rejected unread.
  if (text.length > MAX_PEER_FRAME_BYTES || utf8Length(text) > MAX_PEER_FRAME_BYTES) {
    return fail('TOO_LARGE', `frame exceeds ${MAX_PEER_FRAME_BYTES} bytes`);
  }
  return parseJsonFrame(text, PEER_SCHEMAS);
}

/** Serializes an outbound frame (the one place frames are built, so shapes stay schema-true). */
export function encodePeerMessage(message: PeerMessage): string {
  return JSON.stringify(message);
}
