import { isUtf8 } from 'node:buffer';
import { type ErrorCode, type IceServer, MAX_ERROR_MESSAGE_CHARS, PROTOCOL_VERSION, type PeerId, type RoomName, type ServerMessage, toPeerId } from '@shoal/shared';

/** Serializes a server->client message. The type keeps every frame the server writes schema-shaped. */
export const encode = (message: ServerMessage): string => JSON.stringify(message);

export const welcomeFrame = (room: RoomName, peerId: PeerId, peers: PeerId[], iceServers: IceServer[]): string =>
  encode({ type: 'welcome', v: PROTOCOL_VERSION, room, peerId, peers, iceServers });

export const peerJoinedFrame = (peerId: PeerId): string => encode({ type: 'peer-joined', peerId });
export const peerLeftFrame = (peerId: PeerId): string => encode({ type: 'peer-left', peerId });

export const errorFrame = (code: ErrorCode, message: string, ref?: string): string =>
  encode({
    type: 'error',
    code,
    message: message.slice(0, MAX_ERROR_MESSAGE_CHARS),
    ...(ref === undefined ? {} : { ref: ref.slice(0, 32) }),
  });

// The canonical `signal` frame as browsers send it (JSON.stringify of {type, to, data}). Matching it
// byte for byte lets the relay skip building an object tree and re-serializing it.
const SIGNAL_PREFIX = Buffer.from('{"type":"signal","to":"', 'latin1');
const DATA_KEY = Buffer.from('","data":{', 'latin1');
const RELAY_PREFIX = Buffer.from('{"type":"signal","from":"', 'latin1');
const ID_BYTES = 36;
const TO_END = SIGNAL_PREFIX.length + ID_BYTES;
const DATA_START = TO_END + DATA_KEY.length - 1;
const RELAY_HEAD = RELAY_PREFIX.length + ID_BYTES;

export interface FastSignal {
  /** The addressee as sent; NOT validated — the room lookup decides (only valid ids ever join). */
  to: string;
  /** `{"type":"signal","from":"<from>","data":…}` for the addressee, as UTF-8 bytes. */
  relayed: Buffer;
}

/**
 * Recognizes a canonical `signal` frame (UTF-8 bytes, already UTF-8-validated by ws) and rewrites it
 * into the relayed frame with `from` stamped, or returns null so the caller takes the general parser
 * (which also produces the right error code). Exactly the frames ClientMessageSchema accepts as a
 * signal pass: the fixed prefix pins `type` and the key order, and `data` must parse as one JSON
 * object that runs to the final brace, so nothing can follow it (no extra keys, no duplicate `from`).
 *
 * `data` is checked as latin1 text, which costs a copy instead of a UTF-8 decode: for valid UTF-8 the
 * verdict is the same, since multi-byte sequences are only legal inside JSON strings, where their
 * latin1 reading (U+0080–U+00FF) is legal too, and they are illegal outside strings either way.
 */
export function rewriteSignal(bytes: Buffer, from: PeerId): FastSignal | null {
  const length = bytes.length;
  if (
    length < DATA_START + 2 ||
    bytes.compare(SIGNAL_PREFIX, 0, SIGNAL_PREFIX.length, 0, SIGNAL_PREFIX.length) !== 0 ||
    bytes.compare(DATA_KEY, 0, DATA_KEY.length, TO_END, TO_END + DATA_KEY.length) !== 0 ||
    bytes[length - 1] !== 0x7d
  ) {
    return null;
  }
  try {
    // A JSON object that starts at `{` and ends right before the closing brace of the frame.
    JSON.parse(bytes.toString('latin1', DATA_START, length - 1));
  } catch {
    return null;
  }
  const relayed = Buffer.allocUnsafe(RELAY_HEAD + length - TO_END);
  RELAY_PREFIX.copy(relayed, 0);
  relayed.write(from, RELAY_PREFIX.length, 'latin1');
  bytes.copy(relayed, RELAY_HEAD, TO_END);
  // Non-ASCII bytes in the id make a string no member has: the lookup fails and the slow path answers.
  return { to: bytes.toString('latin1', SIGNAL_PREFIX.length, TO_END), relayed };
}

/**
 * Whether `bytes` is a relayed signal frame exactly as this server writes it (rewriteSignal or encode):
 * `{"type":"signal","from":"<peer id>","data":{…}}`. For frames read from Redis, which are untrusted and
 * go out to a browser byte for byte: valid UTF-8 (a text frame that is not closes the browser's
 * socket), the fixed prefix, a peer id as `from`, and `data` one JSON object running to the final brace.
 * Cheaper than the general parser on the cross-process relay path, and stricter.
 */
export function isRelayedSignal(bytes: Buffer): boolean {
  const length = bytes.length;
  if (
    length < RELAY_HEAD + DATA_KEY.length + 1 ||
    bytes.compare(RELAY_PREFIX, 0, RELAY_PREFIX.length, 0, RELAY_PREFIX.length) !== 0 ||
    bytes.compare(DATA_KEY, 0, DATA_KEY.length, RELAY_HEAD, RELAY_HEAD + DATA_KEY.length) !== 0 ||
    bytes[length - 1] !== 0x7d ||
    !isUtf8(bytes) ||
    toPeerId(bytes.toString('latin1', RELAY_PREFIX.length, RELAY_HEAD)) === null
  ) {
    return false;
  }
  try {
    JSON.parse(bytes.toString('latin1', RELAY_HEAD + DATA_KEY.length - 1, length - 1));
    return true;
  } catch {
    return false;
  }
}

/**
 * The header of a final, unmasked WebSocket text frame (RFC 6455 §5.2) of `length` payload bytes, as
 * ws's Sender would write it for a server. Headers of frames up to CACHED_HEADERS bytes, the usual
 * offers, answers and candidates, are cached, so the relay writes header and payload without
 * allocating; the cache holds at most CACHED_HEADERS small buffers (a few hundred KB).
 */
export function textFrameHeader(length: number): Buffer {
  const cached = HEADERS[length];
  if (cached) return cached;
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65536) {
    const head = Buffer.from([0x81, 126, length >> 8, length & 0xff]);
    if (length < CACHED_HEADERS) HEADERS[length] = head;
    return head;
  }
  const head = Buffer.allocUnsafe(10);
  head[0] = 0x81;
  head[1] = 127;
  head.writeUInt32BE(0, 2);
  head.writeUInt32BE(length, 6);
  return head;
}

const CACHED_HEADERS = 8192;
// Shared between sockets: a queued write is never modified, only read when the socket flushes.
const HEADERS: (Buffer | undefined)[] = [];
