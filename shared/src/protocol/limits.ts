/**
 * Limits shared by every side of the wire. They are enforced at the edge (schemas, socket options)
 * so that nothing past a parser ever sees an oversized or unbounded value.
 */

/** Largest signaling frame the server accepts (ws `maxPayload`), in bytes. SDP offers are ~2–6 KB. */
export const MAX_SIGNAL_FRAME_BYTES = 64 * 1024;

/** Room names: 1..64 characters of [A-Za-z0-9._-]; long enough for a 64-hex-digit derived hash. */
export const MAX_ROOM_NAME_CHARS = 64;
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Peers listed in one `welcome`: big rooms get a random subset so a list never grows past this. */
export const MAX_PEER_LIST = 64;

/** ICE servers the server may hand out in `welcome`. */
export const MAX_ICE_SERVERS = 8;

/** Longest error message text the server sends (bytes stay small even for verbose errors). */
export const MAX_ERROR_MESSAGE_CHARS = 256;
