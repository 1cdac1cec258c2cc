import type { PeerId } from '../ids';
import { MAX_CHUNK_REQUEST } from '../protocol/limits';

/**
 * Which chunk to ask of whom, for one download (pure: the caller passes the time and does the I/O).
 *
 * Every holder is pulled in parallel. Each gets a window of requests in flight that grows by one per
 * chunk it delivers and halves when a request times out (AIMD: a fast holder ends up with many chunks in
 * flight, a slow one with few, so the window follows its delivery rate). Chunks are picked rarest first
 * among a random sample of the missing ones: holders diversify instead of all serving chunk 0, 1, 2…,
 * and a chunk only one leaving peer has is fetched early. A holder that leaves, times out, says it lacks
 * a chunk or sends a bad one has its chunks released to the others.
 */
export interface SchedulerOptions {
  /** Requests in flight per holder at first. Default 8. */
  initialWindow: number;
  /**
   * Most requests in flight per holder (≤ MAX_WINDOW; sent as several `file-req` frames when over
   * MAX_CHUNK_REQUEST). Default 64: 4 MiB of 64 KiB chunks, enough to fill a fast link's round trip.
   */
  maxWindow: number;
  /**
   * Most stored bytes per holder asked for and not yet stored (in flight, or landing: being verified and
   * written), whatever the window says. Default 2 MiB: a bandwidth-delay cap (20 MB/s per holder at a
   * 100 ms round trip). A bigger window only queues chunks at the receiver, where every chat frame then
   * waits behind their hashing and writes (bench:files chat p99 24× idle with 64 × 192 KiB in flight).
   */
  maxInFlightBytes: number;
  /** A request unanswered this long is given to someone else. Default 15,000 ms. */
  requestTimeoutMs: number;
  random(): number;
}

export const DEFAULT_SCHEDULER_OPTIONS: Omit<SchedulerOptions, 'random'> = {
  initialWindow: 8,
  maxWindow: 64,
  maxInFlightBytes: 2 * 1024 * 1024,
  requestTimeoutMs: 15_000,
};

/**
 * The largest window a holder may get. A server queues at most FileSwarmOptions.maxQueuedPerLink
 * requests per link (default 256), which must stay at least the windows of all the transfers one
 * honest peer runs from it at once (4 × 64 by default).
 */
export const MAX_WINDOW = 4 * MAX_CHUNK_REQUEST;

/** Candidates looked at per free slot: bounds each plan's work whatever the file's size. */
const SAMPLE_PER_SLOT = 4;
/**
 * Requests go out once this many slots of a holder's window are free (or its whole window, if
 * smaller): a `file-req` per few chunks, not one per chunk, keeps control frames well inside
 * LINK_FILE_FRAME_BUDGET at full speed.
 */
const MIN_BATCH = 4;

export interface ChunkScheduler {
  /** Records what a holder has (replacing what was known of it). */
  setHolder(peer: PeerId, held: ReadonlySet<number>): void;
  /** A holder left (link closed, banned): its requests in flight are released. */
  removeHolder(peer: PeerId): void;
  /**
   * A chunk arrived from `peer`: true when it was asked of that peer and is still wanted (then it is no
   * longer in flight), including a late answer to a request that timed out. `unsolicited` says whether
   * a refusal was for bytes never asked of that peer (the caller strikes only those).
   */
  take(peer: PeerId, index: number): { accepted: boolean; unsolicited: boolean };
  /** Stored and verified: never asked for again. */
  markHeld(index: number): void;
  /** A verified chunk failed to store or verify: asked for again later (from anyone). */
  release(index: number): void;
  /** The peer lacks these after all (`file-none`). */
  lacks(peer: PeerId, indexes: readonly number[]): void;
  /** Releases requests older than the timeout; shrinks those holders' windows. Returns the count. */
  expire(now: number): number;
  /** New requests to send now, per holder; they count as in flight from `now`. */
  plan(now: number): Map<PeerId, number[]>;
  missing(): number;
  holders(): number;
  /** Holders with requests in flight. */
  activeSources(): number;
}

interface Holder {
  held: Set<number>;
  window: number;
  inFlight: Map<number, number>;
  /** Its chunks delivered and still being verified and stored: they take window slots until then. */
  landing: Set<number>;
  /** Requests to it that timed out: a late answer is still welcome, and no offence. Bounded. */
  expired: Set<number>;
}

/** Timed-out requests remembered per holder (oldest forgotten): a few windows' worth. */
const MAX_EXPIRED_PER_HOLDER = 4 * MAX_CHUNK_REQUEST;

/** Adds a timed-out or cancelled request to a holder's bounded set. */
function remember(expired: Set<number> | undefined, index: number): void {
  if (!expired) return;
  expired.add(index);
  const oldest = expired.values().next();
  if (expired.size > MAX_EXPIRED_PER_HOLDER && !oldest.done) expired.delete(oldest.value);
}

/**
 * `chunkBytes`: stored bytes per chunk, for SchedulerOptions.maxInFlightBytes (omitted: windows are
 * capped by maxWindow alone).
 */
export function createChunkScheduler(chunks: number, options: SchedulerOptions, chunkBytes?: number): ChunkScheduler {
  const byBytes = chunkBytes && chunkBytes > 0 ? Math.floor(options.maxInFlightBytes / chunkBytes) : Number.POSITIVE_INFINITY;
  const maxWindow = Math.max(1, Math.min(options.maxWindow, MAX_WINDOW, byBytes));
  // Missing chunks as an array plus positions, for O(1) removal and uniform sampling.
  const missing: number[] = Array.from({ length: chunks }, (_, i) => i);
  const position = new Map<number, number>(missing.map((index, i) => [index, i]));
  const owner = new Map<number, PeerId>();
  /** Delivered and being verified and stored, by whom: asked of no one until that ends (markHeld or release). */
  const landing = new Map<number, PeerId>();
  const holders = new Map<PeerId, Holder>();

  const unassign = (index: number): void => {
    const deliverer = landing.get(index);
    if (deliverer !== undefined) holders.get(deliverer)?.landing.delete(index);
    landing.delete(index);
    const peer = owner.get(index);
    if (peer === undefined) return;
    owner.delete(index);
    holders.get(peer)?.inFlight.delete(index);
  };
  const rarity = (index: number): number => {
    let count = 0;
    for (const holder of holders.values()) if (holder.held.has(index)) count++;
    return count;
  };

  return {
    setHolder(peer, held) {
      const known = holders.get(peer);
      if (known) known.held = new Set(held);
      else holders.set(peer, { held: new Set(held), window: Math.min(options.initialWindow, maxWindow), inFlight: new Map(), landing: new Set(), expired: new Set() });
    },
    removeHolder(peer) {
      const holder = holders.get(peer);
      if (!holder) return;
      for (const index of holder.inFlight.keys()) owner.delete(index);
      holders.delete(peer);
    },
    take(peer, index) {
      const holder = holders.get(peer);
      const late = holder?.expired.delete(index) ?? false;
      if (!holder || (owner.get(index) !== peer && !late)) return { accepted: false, unsolicited: !late };
      // A late answer is taken if nobody delivered the chunk meanwhile (whoever was asked again is spared).
      if (!position.has(index) || landing.has(index)) return { accepted: false, unsolicited: false };
      // Whoever was asked again is let off: its answer, when it comes, is late too, and no offence.
      const other = owner.get(index);
      if (other !== undefined && other !== peer) remember(holders.get(other)?.expired, index);
      unassign(index);
      landing.set(index, peer);
      holder.landing.add(index);
      holder.window = Math.min(maxWindow, holder.window + 1);
      return { accepted: true, unsolicited: false };
    },
    markHeld(index) {
      unassign(index);
      const at = position.get(index);
      if (at === undefined) return;
      const last = missing.pop();
      position.delete(index);
      if (last !== undefined && last !== index) {
        missing[at] = last;
        position.set(last, at);
      }
    },
    release: unassign,
    lacks(peer, indexes) {
      const holder = holders.get(peer);
      for (const index of indexes) {
        holder?.held.delete(index);
        if (owner.get(index) === peer) unassign(index);
      }
    },
    expire(now) {
      let expired = 0;
      for (const holder of holders.values()) {
        let shrink = false;
        for (const [index, sentAt] of holder.inFlight) {
          if (now - sentAt < options.requestTimeoutMs) continue;
          unassign(index);
          remember(holder.expired, index);
          expired++;
          shrink = true;
        }
        if (shrink) holder.window = Math.max(1, Math.floor(holder.window / 2));
      }
      return expired;
    },
    plan(now) {
      const out = new Map<PeerId, number[]>();
      if (missing.length === 0) return out;
      // Holders in random order, so no one is always served first.
      const order = [...holders.entries()].sort(() => options.random() - 0.5);
      for (const [peer, holder] of order) {
        const free = holder.window - holder.inFlight.size - holder.landing.size;
        if (free <= 0 || free < Math.min(MIN_BATCH, holder.window, missing.length - owner.size - landing.size)) continue;
        const candidates: number[] = [];
        const start = Math.floor(options.random() * missing.length);
        const budget = Math.min(missing.length, free * SAMPLE_PER_SLOT * 8);
        for (let step = 0; step < budget && candidates.length < free * SAMPLE_PER_SLOT; step++) {
          const index = missing[(start + step) % missing.length];
          if (index !== undefined && !owner.has(index) && !landing.has(index) && holder.held.has(index)) candidates.push(index);
        }
        const picked = candidates
          .map((index) => ({ index, rarity: rarity(index), tie: options.random() }))
          .sort((a, b) => a.rarity - b.rarity || a.tie - b.tie)
          .slice(0, free)
          .map((c) => c.index);
        for (const index of picked) {
          owner.set(index, peer);
          holder.inFlight.set(index, now);
        }
        if (picked.length > 0) out.set(peer, picked);
      }
      return out;
    },
    missing: () => missing.length,
    holders: () => holders.size,
    activeSources: () => [...holders.values()].filter((h) => h.inFlight.size > 0).length,
  };
}
