import * as v from 'valibot';
import { ERROR_CODES } from '../errors';
import { PeerIdSchema } from '../ids';
import { MAX_ERROR_MESSAGE_CHARS, MAX_ICE_SERVERS, MAX_PEER_LIST, ROOM_NAME_PATTERN } from './limits';

/**
 * Signaling protocol: JSON text frames over one WebSocket per peer. A client joins exactly one room per
 * connection; the server answers with the peer list and relays opaque WebRTC `signal` payloads between
 * members of that room, stamping `from` itself so nobody can speak for another peer.
 */

export const RoomNameSchema = v.pipe(
  v.string(),
  v.regex(ROOM_NAME_PATTERN, 'room name must be 1-64 characters of A-Z a-z 0-9 . _ -'),
  v.brand('RoomName'),
);
export type RoomName = v.InferOutput<typeof RoomNameSchema>;

/**
 * WebRTC signaling payload (offer, answer, ICE candidate, renegotiation). The server never looks inside;
 * it only insists on a plain object, and the frame size bounds it. Receiving clients validate it further.
 */
// Not v.looseObject: valibot's object schemas accept an array (typeof [] === 'object') and copy it
// into {"0": …}. This check passes the value through untouched.
const SignalDataSchema = v.custom<{ [key: string]: unknown }>(
  (data) => typeof data === 'object' && data !== null && !Array.isArray(data),
  'data must be a JSON object',
);
export type SignalData = v.InferOutput<typeof SignalDataSchema>;

// ---- client -> server ------------------------------------------------------------------------------

export const JoinMsg = v.strictObject({
  type: v.literal('join'),
  /** Protocol version the client speaks; see PROTOCOL_VERSION. */
  v: v.pipe(v.number(), v.integer()),
  room: RoomNameSchema,
  peerId: PeerIdSchema,
});

export const SignalToMsg = v.strictObject({
  type: v.literal('signal'),
  to: PeerIdSchema,
  data: SignalDataSchema,
});

export const LeaveMsg = v.strictObject({ type: v.literal('leave') });

export const ClientMessageSchema = v.variant('type', [JoinMsg, SignalToMsg, LeaveMsg]);
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;

// ---- server -> client ------------------------------------------------------------------------------

export const IceServerSchema = v.strictObject({
  urls: v.union([v.pipe(v.string(), v.maxLength(512)), v.pipe(v.array(v.pipe(v.string(), v.maxLength(512))), v.maxLength(8))]),
  username: v.optional(v.pipe(v.string(), v.maxLength(256))),
  credential: v.optional(v.pipe(v.string(), v.maxLength(256))),
});
export type IceServer = v.InferOutput<typeof IceServerSchema>;

export const WelcomeMsg = v.strictObject({
  type: v.literal('welcome'),
  v: v.pipe(v.number(), v.integer()),
  room: RoomNameSchema,
  peerId: PeerIdSchema,
  /** Other peers in the room; for rooms larger than the server's list limit, a random subset. */
  peers: v.pipe(v.array(PeerIdSchema), v.maxLength(MAX_PEER_LIST)),
  iceServers: v.pipe(v.array(IceServerSchema), v.maxLength(MAX_ICE_SERVERS)),
});

export const PeerJoinedMsg = v.strictObject({ type: v.literal('peer-joined'), peerId: PeerIdSchema });
export const PeerLeftMsg = v.strictObject({ type: v.literal('peer-left'), peerId: PeerIdSchema });

export const SignalFromMsg = v.strictObject({
  type: v.literal('signal'),
  from: PeerIdSchema,
  data: SignalDataSchema,
});

export const ErrorMsg = v.strictObject({
  type: v.literal('error'),
  code: v.picklist(ERROR_CODES),
  message: v.pipe(v.string(), v.maxLength(MAX_ERROR_MESSAGE_CHARS)),
  /** The `type` of the client frame that caused the error, when it could be read. */
  ref: v.optional(v.pipe(v.string(), v.maxLength(32))),
});

export const ServerMessageSchema = v.variant('type', [WelcomeMsg, PeerJoinedMsg, PeerLeftMsg, SignalFromMsg, ErrorMsg]);
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;
export type WelcomeMessage = v.InferOutput<typeof WelcomeMsg>;
export type ErrorMessage = v.InferOutput<typeof ErrorMsg>;
