/**
 * Wire protocol version, sent in `join` (signaling) and `hello` (mesh). Bumped on any incompatible
 * change to a message shape; a peer or server seeing another version refuses with VERSION_MISMATCH
 * instead of misreading frames.
 */
export const PROTOCOL_VERSION = 2;
// Frame types added within v2 (broadcast trees: ihave, graft, prune; membership: shuffle, shuffle-reply)
// are additive: an older v2 peer skips an unknown type on an open link, never sends these, and is kept
// on eager push (broadcast-tree.ts), so it still gets every message. Only a changed shape needs a bump.

/**
 * Oldest client the signal server still introduces. Signaling frames did not change in v2, so v1 and v2
 * pages meet; their mesh handshake then refuses the link with VERSION_MISMATCH and each side can tell
 * its user why (see MeshEvents 'version-mismatch') instead of the room silently looking empty.
 */
export const MIN_SIGNAL_VERSION = 1;
