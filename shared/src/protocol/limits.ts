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

/**
 * Event ids in one `ihave` announcement or one `graft` request (broadcast trees, issue 14). Announcements
 * queued for a lazy link are sent once this many are waiting, or at the next batch flush.
 */
export const MAX_IHAVE_IDS = 64;

/**
 * Membership shuffles (HyParView, issue 14): peers named by one `shuffle` or `shuffle-reply` (the
 * sender, 3 of its links, 4 of its passive view), and the hops a shuffle's random walk may take.
 */
export const MAX_SHUFFLE_PEERS = 8;
export const MAX_SHUFFLE_TTL = 6;

/**
 * Passive view (known room members not linked to): entries held in all, and entries one neighbour's
 * word can hold (see PassiveView: a hostile neighbour fills at most this share).
 */
export const MAX_PASSIVE_VIEW = 1024;
export const MAX_PASSIVE_PER_SOURCE = 128;

// ---- per-peer budgets (hostile but authenticated peers) --------------------------------------------
// Rates are token buckets: `burst` is what may arrive at once after quiet, `perSecond` the refill.
// Honest traffic must never trip them: each is sized against the heaviest honest pattern named below.

/**
 * Frames of any type one link may send us. Honest peaks: a fresh link's topology dump (≤ 1024 entries
 * / 32 per frame), a history sync (≤ 20 batch frames for 10,000 messages), ICE candidates relayed for
 * new links, and a busy room's flood (a link carries every member's messages). 1,000 at once, 100/s.
 */
export const LINK_FRAME_BUDGET = { perSecond: 100, burst: 1000 } as const;

/**
 * Bytes one link may send us, every frame type except `history-batch` (answers we asked for, bounded
 * by HISTORY_PULL_BUDGET instead). 4 MiB at once is 256 maximum-size messages pasted in a row;
 * 256 KiB/s sustained is 16 maximum-size messages a second, far above a room of people typing.
 */
export const LINK_BYTE_BUDGET = { perSecond: 256 * 1024, burst: 4 * 1024 * 1024 } as const;

/**
 * File control frames (`file-*`) one link may send us, charged apart from the chat budgets above so a
 * transfer never starves chat, nor chat a transfer. The heaviest honest pattern is a downloader
 * pulling at full speed: a `file-req` per batch of at least 4 chunks, i.e. ~400 frames/s at 100 MiB/s
 * of 64 KiB chunks. The chunks themselves travel as binary frames, bounded by what we asked for.
 */
export const LINK_FILE_FRAME_BUDGET = { perSecond: 2_000, burst: 4_000 } as const;
/** Bytes of file control frames (a `file-have` bitfield is the largest, ~11 KB). */
export const LINK_FILE_BYTE_BUDGET = { perSecond: 1024 * 1024, burst: 4 * 1024 * 1024 } as const;

/**
 * Over-budget frames a link may send before it is closed (OVER_BUDGET) and banned: each dropped frame
 * takes a token. A link that overshoots now and then recovers; one that keeps pushing (200 drops
 * within ~1 minute) is cut: dropping costs little, but parsing what we drop does not.
 */
export const LINK_OVERAGE_BUDGET = { perSecond: 2, burst: 200 } as const;

/**
 * Live chat messages one author may get delivered, stored and forwarded by us. A person typing fast
 * sends ~1 message a second in spurts; 30 at once and 3/s sustained leave room for that and for a
 * queue of messages written offline. Messages over budget are dropped (not marked seen: history sync
 * fetches them once the author's budget refilled). History batches are bounded by HISTORY_PULL_BUDGET.
 */
export const AUTHOR_MESSAGE_BUDGET = { perSecond: 3, burst: 30 } as const;

/**
 * Bytes (encoded message) one author may get stored and forwarded by us: what its messages add to
 * every member's history. 512 KiB at once (~32 maximum-size messages), 32 KiB/s sustained.
 */
export const AUTHOR_STORAGE_BUDGET = { perSecond: 32 * 1024, burst: 512 * 1024 } as const;

/**
 * Bytes of `history-batch` answers we send one link (the default of MeshOptions.historyAnswerBudget).
 * A newcomer syncing a keeper's 100,000-event room takes ~45 MiB; 64 MiB at once, then 512 KiB/s: a
 * requester asking again and again gets an empty answer (more: false) until its budget refilled, so
 * 37-byte requests can no longer draw unbounded answers (2,000 of them drew 523 MB).
 */
export const HISTORY_ANSWER_BUDGET = { perSecond: 512 * 1024, burst: 64 * 1024 * 1024 } as const;

/**
 * Messages we pull from one link through history sync (the default of MeshOptions.historyPullBudget).
 * 200,000 at once, 2,000/s sustained: a fresh tab catches up with a keeper's 100,000-event room in one
 * round (20,000 stalled it at 50/s for half an hour). A peer answering every request with `more: true`
 * and fresh messages stops being asked once it is spent; what it pushes meanwhile is bounded in storage
 * by the room's retention limit, not by this.
 */
export const HISTORY_PULL_BUDGET = { perSecond: 2_000, burst: 200_000 } as const;

/**
 * Relayed topology entries (about peers other than the sender) one link may have attributed to it: the
 * signal server's room cap (256), so an honest neighbour can relay a whole room and one hostile peer can
 * add at most this many names to the view.
 */
export const MAX_TOPOLOGY_CLAIMS_PER_LINK = 256;

/**
 * Entries relayed by one link alone (no other link and not the peer itself vouching for them) that count
 * toward the room-size estimate used for link policy: one peer cannot make a small room look big.
 */
export const MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK = 16;

/**
 * After an author was throttled on the live path, its messages arriving through history sync are
 * charged to the same budgets for this long, so what was dropped live is not pulled straight back in.
 * Authors never throttled sync freely (bounded by HISTORY_PULL_BUDGET): a late joiner's 10,000-message
 * catch-up with one prolific author must not stall. 10 minutes, like the default ban.
 */
export const AUTHOR_THROTTLE_MEMORY_MS = 10 * 60_000;

// ---- files (see shared/src/files) --------------------------------------------------------------------

/**
 * Most chunks one file may have. Bounds every per-file table (bitfields, hash lists, in-flight maps):
 * 65,536 chunks of the default 64 KiB are 4 GiB, above any default maximum file size.
 */
export const MAX_FILE_CHUNKS = 65_536;

/**
 * Largest chunk as stored and sent (ciphertext included). A chunk travels as one binary data-channel
 * message of this plus FILE_FRAME_HEADER_BYTES, which must stay under Chromium's 256 KiB SCTP limit.
 */
export const MAX_STORED_CHUNK_BYTES = 256 * 1024 - 1024;

/** Chunk indexes one `file-req` may ask for (the per-peer in-flight window never exceeds it). */
export const MAX_CHUNK_REQUEST = 32;

/** Hashes one `file-hashes-req` may ask for: one binary answer of 32 bytes each stays under 256 KiB. */
export const MAX_HASHES_PER_FRAME = 7_936;
