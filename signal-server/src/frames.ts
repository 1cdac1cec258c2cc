import { type ErrorCode, type IceServer, MAX_ERROR_MESSAGE_CHARS, PROTOCOL_VERSION, type PeerId, type RoomName, type ServerMessage } from '@shoal/shared';

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
const SIGNAL_PREFIX = '{"type":"signal","to":"';
const ID_CHARS = 36;
const DATA_KEY = '","data":{';
const TO_END = SIGNAL_PREFIX.length + ID_CHARS;
const DATA_START = TO_END + DATA_KEY.length - 1;
const RELAY_PREFIX = '{"type":"signal","from":"';

export interface FastSignal {
  /** The addressee as sent; NOT validated — the room lookup decides (only valid ids ever join). */
  to: string;
  /** `{"type":"signal","from":"<from>","data":…}` for the addressee. */
  relayed: string;
}

/**
 * Recognizes a canonical `signal` frame and rewrites it into the relayed frame with `from` stamped,
 * or returns null so the caller takes the general parser (which also produces the right error code).
 * Exactly the frames ClientMessageSchema accepts as a signal pass: the fixed prefix pins `type` and
 * the key order, and `data` must parse as one JSON object that runs to the final brace, so nothing
 * can follow it (no extra keys, no duplicate `from`).
 */
export function rewriteSignal(text: string, from: PeerId): FastSignal | null {
  if (!text.startsWith(SIGNAL_PREFIX) || !text.startsWith(DATA_KEY, TO_END) || text.charCodeAt(text.length - 1) !== 0x7d) {
    return null;
  }
  try {
    // A JSON object that starts at `{` and ends right before the closing brace of the frame.
    JSON.parse(text.slice(DATA_START, -1));
  } catch {
    return null;
  }
  return { to: text.slice(SIGNAL_PREFIX.length, TO_END), relayed: RELAY_PREFIX + from + text.slice(TO_END) };
}
