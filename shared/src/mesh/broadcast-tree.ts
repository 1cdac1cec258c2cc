import type { PeerId } from '../ids';
import { MAX_IHAVE_IDS } from '../protocol/limits';
import { remember } from './bounded-maps';
import type { Clock } from './mesh-api';

/**
 * Epidemic broadcast trees (Plumtree, Leitão, Pereira and Rodrigues 2007) over the bounded-degree
 * overlay of a big room. Every link starts eager (a message is pushed over it); a link that brings a
 * copy already held is pruned to lazy (only `ihave` announcements cross it), which leaves a spanning
 * tree of eager links. A peer that hears of an event by announcement and does not get it over the tree
 * in time asks the announcer for it and grafts that link into the tree: a relay that never forwards is
 * routed around by the lazy path. History sync stays the final backstop.
 *
 * "In time" is `graftTimeoutMs`, or longer while the tree's copies come late: each announced event that
 * then arrives over the tree tells how far the tree lags behind the announcements, and the wait follows
 * the recent peak of that lag (up to MAX_GRAFT_WAIT_FACTOR times the timeout). A browser tab on a
 * loaded machine relays slower than its neighbours announce, and a fixed 400 ms grafted links whose
 * copies were on their way: every such graft adds a tree link, and with it duplicates, until a prune.
 *
 * Peers that never sent a tree frame (older v2 peers skip unknown frame types) stay eager both ways and
 * are never pruned: they flood to us and we push everything to them, so a mixed room degrades to
 * flooding on those links instead of starving them.
 */
export interface BroadcastTree {
  /**
   * A link opened: it starts eager. `tell`: tell the peer now that we speak trees (an empty graft). A
   * full-mesh room does not use trees, so it tells nobody until it grows (tellAll): one frame less per
   * link while a room forms (issue 14).
   */
  linkUp(peer: PeerId, tell: boolean): void;
  /** The room uses trees: every link not told yet hears that we speak them. */
  tellAll(): void;
  linkDown(peer: PeerId): void;
  /**
   * An event was accepted as new, from `from` (null: our own). Returns the links to push it to; the
   * other links of `linked` get it announced (batched). `from` becomes a tree link.
   */
  relay(id: string, from: PeerId | null, hops: number, linked: readonly PeerId[]): PeerId[];
  /**
   * An event came by history sync from `from`, not down the tree: announced to every other link that
   * speaks trees (none get it pushed: they may hold it, and a duplicate push would prune the tree), so a
   * healed partition's events spread at graft speed instead of a history poll per hop.
   */
  announce(id: string, from: PeerId, linked: readonly PeerId[]): void;
  /** A copy we already held came from `peer`: prune that link (if the peer speaks trees). */
  onDuplicate(peer: PeerId): void;
  onIHave(peer: PeerId, ids: readonly string[]): void;
  /** `peer` grafted our link: it is eager now. Returns the requested ids we relayed or sent (to resend). */
  onGraft(peer: PeerId, ids: readonly string[]): string[];
  onPrune(peer: PeerId): void;
  /** Hops the event had when we got it (0 for our own), while remembered. */
  hopsOf(id: string): number | undefined;
  /** Whether `peer` sent a tree frame (the release that brought trees; older peers never do). */
  speaksTrees(peer: PeerId): boolean;
  /** Whether pushes to `peer` are eager (unknown peers are). */
  isEager(peer: PeerId): boolean;
  /** Sizes of the bounded tables (tests). */
  memory(): { missing: number; hops: number };
  close(): void;
}

export interface BroadcastTreeDeps {
  sendIHave(peer: PeerId, ids: string[]): void;
  sendGraft(peer: PeerId, ids: string[]): void;
  sendPrune(peer: PeerId): void;
  /** Whether the event is held already (seen cache): announcements of held events are ignored. */
  has(id: string): boolean;
  clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>;
  /** How long an announced event may be missing before the announcer's link is grafted, at least. */
  graftTimeoutMs: number;
  /** How long announcements wait to be batched into one `ihave` frame per lazy link. */
  ihaveBatchMs: number;
}

/**
 * Announced-but-missing events tracked at once; the oldest is forgotten past it (history sync still
 * brings it). Bounds what a peer announcing made-up ids can make us hold.
 */
export const MAX_MISSING_EVENTS = 1024;
/** Announcers remembered per missing event (further ones add nothing but memory). */
export const MAX_ANNOUNCERS = 8;
/** Events whose hop count is remembered for graft answers. */
export const MAX_HOPS_REMEMBERED = 4096;
/** The wait before a graft stays within this many times `graftTimeoutMs`, however late the tree runs. */
export const MAX_GRAFT_WAIT_FACTOR = 4;
/** The wait before a graft, as a multiple of the tree's recent peak lag behind announcements. */
const GRAFT_WAIT_PER_LAG = 1.5;
/** The peak lag shrinks by this factor with each event that comes over the tree after its announcement. */
const LAG_PEAK_DECAY = 0.9;

interface LinkState {
  lazy: boolean;
  /** Sent a tree frame: it can be pruned. */
  speaksTrees: boolean;
  /** We sent it a tree frame: it knows it can prune us. */
  told: boolean;
  announce: string[];
}

interface Missing {
  announcers: PeerId[];
  timer: unknown;
  /** When the first announcement came. */
  since: number;
  /** A graft asked for it: its arrival is the answer, not the tree's copy. */
  grafted: boolean;
}

export function createBroadcastTree(deps: BroadcastTreeDeps): BroadcastTree {
  const links = new Map<PeerId, LinkState>();
  const missing = new Map<string, Missing>();
  const hops = new Map<string, number>();
  let flushTimer: unknown = null;
  let lagPeak = 0;
  const graftWait = (): number =>
    Math.min(MAX_GRAFT_WAIT_FACTOR * deps.graftTimeoutMs, Math.max(deps.graftTimeoutMs, GRAFT_WAIT_PER_LAG * lagPeak));

  function flush(): void {
    flushTimer = null;
    for (const [peer, link] of links) {
      if (link.announce.length === 0) continue;
      deps.sendIHave(peer, link.announce);
      link.announce = [];
    }
  }

  function announce(peer: PeerId, link: LinkState, id: string): void {
    link.announce.push(id);
    if (link.announce.length >= MAX_IHAVE_IDS) {
      deps.sendIHave(peer, link.announce);
      link.announce = [];
    } else if (flushTimer === null) flushTimer = deps.clock.setTimeout(flush, deps.ihaveBatchMs);
  }

  const heard = (peer: PeerId): LinkState | undefined => {
    const link = links.get(peer);
    if (link) link.speaksTrees = true;
    return link;
  };

  function forget(id: string): void {
    const entry = missing.get(id);
    if (entry) deps.clock.clearTimeout(entry.timer);
    missing.delete(id);
  }

  /** The event is still missing: graft the first announcer still linked, and give the next one a turn. */
  function expire(id: string): void {
    const entry = missing.get(id);
    if (!entry) return;
    if (deps.has(id)) return forget(id);
    let peer = entry.announcers.shift();
    while (peer !== undefined && !links.has(peer)) peer = entry.announcers.shift();
    if (peer === undefined) return forget(id);
    const link = links.get(peer);
    if (link) {
      link.lazy = false;
      link.told = true;
    }
    entry.grafted = true;
    deps.sendGraft(peer, [id]);
    // The grafted peer may be gone or lying: the next announcer is asked after a shorter wait.
    entry.timer = deps.clock.setTimeout(() => expire(id), deps.graftTimeoutMs / 2);
  }

  return {
    linkUp(peer, tell) {
      links.set(peer, { lazy: false, speaksTrees: false, told: tell, announce: [] });
      if (tell) deps.sendGraft(peer, []);
    },
    tellAll() {
      for (const [peer, link] of links) {
        if (link.told) continue;
        link.told = true;
        deps.sendGraft(peer, []);
      }
    },
    linkDown(peer) {
      links.delete(peer);
    },
    relay(id, from, hopCount, linked) {
      const announced = missing.get(id);
      if (announced && !announced.grafted && from !== null) lagPeak = Math.max(deps.clock.now() - announced.since, lagPeak * LAG_PEAK_DECAY);
      forget(id);
      remember(hops, id, hopCount, MAX_HOPS_REMEMBERED);
      const source = from === null ? undefined : links.get(from);
      if (source) source.lazy = false;
      const eager: PeerId[] = [];
      for (const peer of linked) {
        if (peer === from) continue;
        const link = links.get(peer);
        if (link?.lazy && link.speaksTrees) announce(peer, link, id);
        else eager.push(peer);
      }
      return eager;
    },
    announce(id, from, linked) {
      forget(id);
      remember(hops, id, hops.get(id) ?? 0, MAX_HOPS_REMEMBERED);
      for (const peer of linked) {
        const link = links.get(peer);
        if (peer !== from && link?.speaksTrees) announce(peer, link, id);
      }
    },
    onDuplicate(peer) {
      const link = links.get(peer);
      if (!link || link.lazy || !link.speaksTrees) return;
      link.lazy = true;
      deps.sendPrune(peer);
    },
    onIHave(peer, ids) {
      if (!heard(peer)) return;
      for (const id of ids) {
        if (deps.has(id)) continue;
        const entry = missing.get(id);
        if (entry) {
          if (entry.announcers.length < MAX_ANNOUNCERS && !entry.announcers.includes(peer)) entry.announcers.push(peer);
          continue;
        }
        if (missing.size >= MAX_MISSING_EVENTS) {
          const oldest = missing.keys().next().value;
          if (oldest !== undefined) forget(oldest);
        }
        missing.set(id, { announcers: [peer], timer: deps.clock.setTimeout(() => expire(id), graftWait()), since: deps.clock.now(), grafted: false });
      }
    },
    onGraft(peer, ids) {
      const link = heard(peer);
      if (!link) return [];
      link.lazy = false;
      return ids.filter((id) => hops.has(id));
    },
    onPrune(peer) {
      const link = heard(peer);
      if (link) link.lazy = true;
    },
    hopsOf: (id) => hops.get(id),
    speaksTrees: (peer) => links.get(peer)?.speaksTrees === true,
    isEager: (peer) => links.get(peer)?.lazy !== true,
    memory: () => ({ missing: missing.size, hops: hops.size }),
    close() {
      for (const id of [...missing.keys()]) forget(id);
      if (flushTimer !== null) deps.clock.clearTimeout(flushTimer);
      flushTimer = null;
    },
  };
}
