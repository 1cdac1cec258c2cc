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

// ---- peer <-> peer (mesh data channels) ------------------------------------------------------------

/**
 * Largest data-channel frame a peer sends or accepts, in UTF-8 bytes. 256 KiB is Chromium's SCTP
 * max-message-size; history batches are cut to fit under it.
 */
export const MAX_PEER_FRAME_BYTES = 256 * 1024;

/** Longest plaintext a person may send, in UTF-16 code units. */
export const MAX_TEXT_CHARS = 4000;

/**
 * Longest chat `body` on the wire. Larger than MAX_TEXT_CHARS so that a private room's ciphertext
 * envelope of a MAX_TEXT_CHARS text (UTF-8 ≤ 3 bytes per unit, + IV + tag, base64url) still fits.
 */
export const MAX_BODY_CHARS = 16 * 1024;

/** Longest display name, in UTF-16 code units. */
export const MAX_NAME_CHARS = 40;

/** Author streams in one version vector; a bigger local vector is truncated (costs only duplicates). */
export const MAX_VECTOR_ENTRIES = 4096;

/** Messages in one history batch (the sender also cuts batches to MAX_PEER_FRAME_BYTES). */
export const MAX_HISTORY_BATCH = 500;

/** Hop counts above this are refused by the schema, whatever a mesh's configured hop limit. */
export const MAX_HOPS = 64;

/** Upper bound for seq, Lamport time and timestamps: stops a peer from pushing counters to overflow. */
export const MAX_COUNTER = 2 ** 48;

/**
 * Furthest a received event's Lamport time (a hybrid logical clock in ms, see mesh/lamport.ts) may lie
 * ahead of the receiver's wall clock: 10 minutes. Adopting any value would let one signed message push
 * every receiver's clock to MAX_COUNTER, after which all their own messages are invalid. An honest peer
 * whose clock runs further ahead has its events refused until real time catches up (sync brings them).
 */
export const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

/** Malformed, premature or badly signed frames a link may send before the mesh closes it. */
export const MAX_BAD_FRAMES_PER_LINK = 20;

/** Inbound bytes a link may have queued for processing; a peer flooding faster than we verify is cut. */
export const MAX_LINK_QUEUE_BYTES = 8 * 1024 * 1024;

/**
 * Seqs above the contiguous high-water mark a `history-req` may list as already held (all authors
 * together), so the answer skips them after a gap instead of re-sending them.
 */
export const MAX_HELD_SEQS = 1024;

/** Peer entries in one `topology` frame (each names at most MAX_PEER_LIST neighbours). */
export const MAX_TOPOLOGY_ENTRIES = 32;

/**
 * Longest time a `typing` frame may ask to be shown for, ms. The sender repeats the frame while its
 * reader keeps typing (at most once per TYPING_INTERVAL_MS), so a few seconds suffice; a bound keeps a
 * peer from pinning "is typing…" for hours with one frame.
 */
export const MAX_TYPING_SHOW_MS = 10_000;

/**
 * Peers that relayed signals addressed to us may have half-open connections pending, per relaying
 * neighbour (the link the signal arrived on) and in all. Each one can cost a browser RTCPeerConnection,
 * and Chromium refuses the 501st live one in a tab: these keep a hostile neighbour (or a relay it floods
 * through) from filling that cap with made-up peers. Signals past them are refused and counted
 * (MeshCounters.relaySignalsOverCap); a pending slot frees when its link opens or expires.
 */
export const MAX_RELAYED_PENDING_PER_NEIGHBOUR = 4;
export const MAX_RELAYED_PENDING = 16;
