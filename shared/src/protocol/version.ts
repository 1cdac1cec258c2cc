/**
 * Wire protocol version, sent in `join` (signaling) and `hello` (mesh). Bumped on any incompatible
 * change to a message shape; a peer or server seeing another version refuses with VERSION_MISMATCH
 * instead of misreading frames.
 */
export const PROTOCOL_VERSION = 1;
