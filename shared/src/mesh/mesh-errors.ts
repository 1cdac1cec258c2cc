/**
 * Why the mesh closed a link; reported in the `link-closed` event so the app can decide whether to
 * reconnect (it should not re-dial a SELF_LINK, DUPLICATE_LINK or VERSION_MISMATCH, nor a peer while
 * Mesh.bannedUntil says it is banned). Stable codes.
 */
export const LINK_CLOSE_REASONS = [
  /** The remote speaks another PROTOCOL_VERSION. */
  'VERSION_MISMATCH',
  /** The remote's hello names another room. */
  'WRONG_ROOM',
  /** The link leads back to this very peer. */
  'SELF_LINK',
  /** The hello's peer id is not the one signaling said we were dialing. */
  'UNEXPECTED_PEER',
  /** The remote failed to prove possession of its key over our challenge. */
  'BAD_PROOF',
  /** Another authenticated link to the same peer won the deterministic tie-break. */
  'DUPLICATE_LINK',
  /** A second key claims a peer id already bound to another key. */
  'PEER_ID_CONFLICT',
  /**
   * A big room's peer at its maximum degree refused the link (its `degree-full` named other peers to
   * ask). Don't re-dial it soon; peer exchange asks the others.
   */
  'DEGREE_FULL',
  'HANDSHAKE_TIMEOUT',
  'PING_TIMEOUT',
  /** Too many malformed, premature or badly signed frames (MAX_BAD_FRAMES_PER_LINK). */
  'ABUSE',
  /** More inbound bytes queued than MAX_LINK_QUEUE_BYTES: the remote sends faster than we can verify. */
  'OVERLOADED',
  /**
   * The remote kept sending over its per-link budget (LINK_FRAME_BUDGET, LINK_BYTE_BUDGET; more than
   * LINK_OVERAGE_BUDGET frames dropped). Like ABUSE, the peer is banned for `banMs` (Mesh.bannedUntil).
   */
  'OVER_BUDGET',
  /** The remote is banned (after ABUSE or OVER_BUDGET) and the ban has not run out yet. */
  'BANNED',
  'MESH_CLOSED',
  /** The hello's key is not the key the link's relayed signals were signed with. */
  'RELAY_KEY_MISMATCH',
  /** Private rooms: the remote's proof of the room key failed (another passphrase, or an outsider). */
  'ROOM_KEY_MISMATCH',
  /** Private rooms: the remote sent something else before proving the room key. */
  'ROOM_KEY_REQUIRED',
  /** The transport closed (remote left, channel died). */
  'REMOTE_CLOSED',
] as const;
export type LinkCloseReason = (typeof LINK_CLOSE_REASONS)[number];

/**
 * MESH_CLOSED, BODY_EMPTY, BODY_TOO_LONG: Mesh.send rejects with them; Mesh.publish also with BAD_EVENT
 * (an unknown-shaped kind, or a reaction, edit or delete without a target) and NOT_AUTHOR (an edit or
 * delete of an event that is not our own, or not stored here). STORE_FAILED: an own message
 * could not be written to the HistoryStore (reported through MeshDeps.onError, `cause` = the store's
 * error; the message was sent anyway and the write is retried every ping interval).
 */
export type MeshErrorCode = 'MESH_CLOSED' | 'BODY_EMPTY' | 'BODY_TOO_LONG' | 'STORE_FAILED' | 'NOT_AUTHOR' | 'BAD_EVENT';

/** Error thrown by Mesh.send (its promise rejects) or reported via onError; assert `code`, not the text. */
export class MeshError extends Error {
  constructor(
    readonly code: MeshErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MeshError';
  }
}
