import type { PeerId } from '../ids';
import { MAX_PEER_LIST, MAX_TOPOLOGY_CLAIMS_PER_LINK, MAX_TOPOLOGY_ENTRIES, MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK } from '../protocol/limits';
import type { PeerMessage, TopologyEntryFrame } from '../protocol/peer-messages';
import type { TopologyEntry } from './mesh-api';

/**
 * Gossip of neighbour lists for the debug view. Each peer announces its own list when it changed and
 * every `refreshMs()`; an entry newer than the one held (by `version`) is kept and forwarded once to the
 * other links (in a big room to a few of them: see relayFanout). Forwards and announcements are
 * batched per tick, so a burst of link changes in a big room costs one frame per link per tick, not
 * one per change. Entries not refreshed for `expireMs()` (their peer left) are dropped. Relayed lists
 * are claims of whoever sent them: display only.
 * Every entry is attributed to the links that sent it (its sources): a peer speaks first-hand only
 * for itself, each link may source at most MAX_TOPOLOGY_CLAIMS_PER_LINK relayed entries, and an entry
 * goes when its last source closes, so one peer cannot fill the view with invented members.
 */
export interface Topology<S> {
  /** Own links or name changed: announce at the next tick. */
  changed(): void;
  /**
   * A link opened: hand it everything known at the next tick (a newcomer sees the room without waiting
   * for refreshes; a link refused for degree is gone by then and costs nothing).
   */
  onOpen(session: S): void;
  /** Entries from the open session to `from` (whose own entry is authentic: the link is authenticated). */
  onEntries(session: S, from: PeerId, entries: readonly TopologyEntryFrame[]): number;
  /** The session closed: what only it vouched for is dropped. */
  onClosed(session: S): void;
  /** Periodic: announce, forward, expire; true when the view changed since the last tick. */
  tick(): boolean;
  list(): TopologyEntry[];
  size(): number;
  /**
   * Room size for link policy: entries vouched for first-hand or by two links, plus at most
   * MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK relayed by one link alone (one peer cannot make a room look big).
   */
  roomSize(): number;
}

export interface TopologyDeps<S> {
  self(): { peerId: PeerId; name: string };
  now(): number;
  openByPeer(): Map<PeerId, S>;
  send(session: S, message: PeerMessage): boolean;
  /** Own announcements at least this often, ms (asked each tick: a big room spaces them by its size). */
  refreshMs(): number;
  /**
   * Own announcements after a change at most this often, ms (0 in small rooms: the view follows every
   * link at once). In a big room every announcement reaches every member over each of its links, and
   * while the overlay forms links change every tick, so announcing each change cost O(room²) per tick;
   * the mesh spaces them by room size.
   */
  minAnnounceMs(): number;
  /** Entries not refreshed for this long are dropped, ms (asked each tick). */
  expireMs(): number;
  /**
   * Links each relayed entry is passed on to (Infinity: all). A big room's entries went to every
   * link, so each member got each of them once per link (~14 times): 97 % of the room's bytes.
   */
  relayFanout(): number;
  /**
   * The links in the broadcast tree now (none while trees are off): relays go there first (the tree
   * reaches everyone). Asked once per tick: asking per link and entry cost a big room's member O(links)
   * room-size checks for every entry it relayed.
   */
  treeLinks(): ReadonlySet<PeerId>;
}

/** Entries held (least recently updated dropped first): bounds what a flood of forged ids can take. */
const MAX_TOPOLOGY_PEERS = 1024;

interface Held<S> extends TopologyEntryFrame {
  updatedAt: number;
  /** Links that sent this version; the peer's own link when `firstHand`. */
  sources: Set<S>;
  firstHand: boolean;
}

export function createTopology<S>(deps: TopologyDeps<S>): Topology<S> {
  const entries = new Map<PeerId, Held<S>>();
  // Relayed entries each link is a source of, kept as entries come and go: counting them per frame cost
  // a big room's peers O(room) per topology frame (most of a 200-peer simulation's CPU).
  const claims = new Map<S, number>();
  // Entries to pass on at the next tick, with the session each came from (not sent back there).
  const outbox = new Map<PeerId, S | null>();
  const fresh = new Set<S>();
  let version = 0;
  let dirty = true;
  let viewChanged = true;
  let lastAnnounce = -Infinity;
  // roomSize()'s terms, kept as entries and their sources change: recounting every entry after each
  // update cost each member O(room) per frame in a big room (1000 peers: O(room^3) a second in all).
  let corroborated = 0; // entries first-hand or from two links and more
  const alone = new Map<S, number>(); // entries relayed by this link alone

  const own = (): TopologyEntryFrame => ({
    ...deps.self(),
    version,
    neighbours: [...deps.openByPeer().keys()].slice(0, MAX_PEER_LIST),
  });
  const frame = (peerId: PeerId): TopologyEntryFrame | undefined => {
    if (peerId === deps.self().peerId) return own();
    const held = entries.get(peerId);
    return held && { peerId: held.peerId, name: held.name, version: held.version, neighbours: held.neighbours };
  };
  /**
   * Whose entries `peer` hears first-hand: itself and the neighbours its own entry lists (we announce
   * ours to it all the same). Relaying the others to it is wasted (a relayed entry about a linked peer is dropped there): in a full-mesh room that was
   * every relayed entry. Its own word only: a relay's claim about its links could silence its view.
   */
  function firstHandOf(peer: PeerId): ReadonlySet<PeerId> {
    const held = entries.get(peer);
    return new Set(held?.firstHand ? [peer, ...held.neighbours] : [peer]);
  }
  /**
   * Where a relayed entry goes: every link but its source while the fanout allows, else that many,
   * the broadcast tree's first (once a message shaped it, it reaches everyone). Ranked by a hash of
   * us, the entry's version and the link, so each version takes other links from each relay (no relay
   * can keep an entry from anyone, and most entries still come over two links: the room size), without
   * drawing on the mesh's random stream (its link choices stay what they were).
   */
  function relayTargets(entry: TopologyEntryFrame, links: readonly PeerId[], fanout: number, inTree: ReadonlySet<PeerId>): PeerId[] {
    if (links.length <= fanout) return [...links];
    const keyHash = hash32(`${deps.self().peerId} ${entry.peerId} ${entry.version} `);
    const rank = new Map(links.map((peer) => [peer, (inTree.has(peer) ? 0 : 2 ** 32) + hash32(peer, keyHash)]));
    return [...links].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0)).slice(0, fanout);
  }
  function sendAll(session: S, list: TopologyEntryFrame[]): void {
    for (let i = 0; i < list.length; i += MAX_TOPOLOGY_ENTRIES) {
      deps.send(session, { type: 'topology', entries: list.slice(i, i + MAX_TOPOLOGY_ENTRIES) });
    }
  }
  function claim(session: S, by: number): void {
    const n = (claims.get(session) ?? 0) + by;
    if (n > 0) claims.set(session, n);
    else claims.delete(session);
  }
  /** Takes an entry into (+1) or out of (-1) the room-size terms; around every change of its sources. */
  function count(held: Held<S>, by: 1 | -1): void {
    if (held.firstHand || held.sources.size >= 2) corroborated += by;
    else {
      for (const s of held.sources) {
        const n = (alone.get(s) ?? 0) + by;
        if (n > 0) alone.set(s, n);
        else alone.delete(s);
      }
    }
  }
  /** Changes an entry's sources, keeping the room-size terms in step. */
  function resource(held: Held<S>, change: (sources: Set<S>) => void): void {
    count(held, -1);
    change(held.sources);
    count(held, 1);
  }
  function drop(peerId: PeerId, held: Held<S>): void {
    count(held, -1);
    entries.delete(peerId);
    outbox.delete(peerId);
    viewChanged = true;
  }
  function forget(peerId: PeerId): void {
    const held = entries.get(peerId);
    if (!held) return;
    drop(peerId, held);
    if (!held.firstHand) for (const s of held.sources) claim(s, -1);
  }
  /** (Re)inserts an entry as the newest, dropping the least recently updated past MAX_TOPOLOGY_PEERS. */
  function keep(held: Held<S>, session: S): void {
    forget(held.peerId);
    entries.set(held.peerId, held);
    count(held, 1);
    if (!held.firstHand) claim(session, 1);
    if (entries.size > MAX_TOPOLOGY_PEERS) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) forget(oldest);
    }
    viewChanged = true;
  }

  return {
    changed() {
      dirty = true;
      viewChanged = true;
    },
    onOpen(session) {
      fresh.add(session);
    },
    onEntries(session, from, list) {
      const self = deps.self().peerId;
      const linked = deps.openByPeer();
      let dropped = 0;
      for (const entry of list) {
        if (entry.peerId === self) continue;
        const held = entries.get(entry.peerId);
        // A neighbour's word on itself beats any relayed claim (a forged entry with a huge version
        // cannot pin a linked peer's list): relayed entries about a linked peer are not needed.
        const authentic = entry.peerId === from;
        if (!authentic && linked.has(entry.peerId)) {
          dropped++;
          continue;
        }
        const vouched = held?.sources.has(session) ?? false;
        if (!authentic && !vouched && (claims.get(session) ?? 0) >= MAX_TOPOLOGY_CLAIMS_PER_LINK) {
          dropped++;
          continue;
        }
        if (held && !authentic && held.version >= entry.version) {
          // The same version from another link corroborates it (room-size estimate).
          if (held.version === entry.version && !held.firstHand && !vouched) {
            resource(held, (sources) => sources.add(session));
            claim(session, 1);
          }
          continue;
        }
        keep({ ...entry, updatedAt: deps.now(), sources: new Set([session]), firstHand: authentic }, session);
        outbox.set(entry.peerId, session);
      }
      return dropped;
    },
    onClosed(session) {
      claims.delete(session);
      for (const [peerId, held] of entries) {
        if (!held.sources.has(session)) continue;
        if (held.sources.size === 1) {
          drop(peerId, held);
          continue;
        }
        resource(held, (sources) => sources.delete(session));
      }
    },
    tick() {
      const now = deps.now();
      if ((dirty && now - lastAnnounce >= deps.minAnnounceMs()) || now - lastAnnounce >= deps.refreshMs()) {
        // Wall-clock versions keep growing across a reload that reuses the peer id.
        version = Math.max(version + 1, now);
        lastAnnounce = now;
        dirty = false;
        outbox.set(deps.self().peerId, null);
      }
      // Entries are kept in the order they were updated (keep re-inserts): the expired ones come first.
      const expireMs = deps.expireMs();
      for (const [peerId, held] of entries) {
        if (now - held.updatedAt <= expireMs) break;
        forget(peerId);
      }
      const everything = fresh.size > 0 ? [deps.self().peerId, ...entries.keys()].map(frame).filter((e) => e !== undefined) : [];
      const self = deps.self().peerId;
      const open = deps.openByPeer();
      const hears = new Map([...open.keys()].map((peer) => [peer, firstHandOf(peer)]));
      const wants = (peer: PeerId, entry: TopologyEntryFrame): boolean => entry.peerId === self || !hears.get(peer)?.has(entry.peerId);
      const news = new Map<PeerId, TopologyEntryFrame[]>([...open.keys()].map((peer) => [peer, []]));
      const fanout = deps.relayFanout();
      const inTree = deps.treeLinks();
      for (const [peerId, source] of outbox) {
        const entry = frame(peerId);
        if (!entry) continue;
        const links = [...open].filter(([peer, s]) => s !== source && wants(peer, entry)).map(([peer]) => peer);
        for (const peer of peerId === self ? links : relayTargets(entry, links, fanout, inTree)) news.get(peer)?.push(entry);
      }
      for (const [peer, session] of open) {
        sendAll(session, fresh.has(session) ? everything.filter((entry) => wants(peer, entry)) : (news.get(peer) ?? []));
      }
      outbox.clear();
      fresh.clear();
      const changed = viewChanged;
      viewChanged = false;
      return changed;
    },
    list() {
      const now = deps.now();
      const mine = own();
      const self = { peerId: mine.peerId, name: mine.name, neighbours: mine.neighbours, updatedAt: now };
      const others = [...entries.values()].map(({ peerId, name, neighbours, updatedAt }) => ({ peerId, name, neighbours, updatedAt }));
      return [self, ...others];
    },
    size: () => entries.size,
    roomSize() {
      let size = corroborated;
      for (const n of alone.values()) size += Math.min(n, MAX_UNCORROBORATED_ROOM_SIZE_PER_LINK);
      return size;
    },
  };
}

/**
 * FNV-1a, 32 bits: a cheap stable hash for spreading choices (not for security). It runs on: hashing
 * `b` from `hash32(a)` gives `hash32(a + b)`.
 */
function hash32(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
