import type { PeerId } from '../ids';
import { MAX_PASSIVE_VIEW, MAX_PEER_LIST } from '../protocol/limits';
import type { PeerMessage, RelaySignalFrame } from '../protocol/peer-messages';
import { countDown, remember as rememberBounded } from './bounded-maps';
import type { PassiveView } from './passive-view';
import type { SeenCache } from './seen-cache';
import { createSignalRelay } from './signal-relay';
import { isBigRoom } from './room-size';

/**
 * Peer exchange (issue 3): peers tell each other whom they are linked to (`getaddr`/`addr`) and route
 * WebRTC signaling for each other (`relay-signal`), so a newcomer with one live link can complete its
 * links to the room without the signal server. Above `fullMeshUpTo` known peers it only asks for links
 * until it has `targetDegree`; flooding still reaches everyone over the resulting connected graph.
 * Inbound links are bounded too: past `maxDegree`, a link is refused (`degree-full` + alternatives)
 * only when its other end can spare it (see witnessFor). A newcomer that cannot is kept, and a link to a
 * neighbour that can spare one is shed instead.
 */
export interface PeerExchange<S> {
  onOpen(session: S): void;
  onGetAddr(session: S): void;
  /** An `addr` answer from the open session to `via`: learns peers, and that session's degree. */
  onAddr(session: S, peers: readonly PeerId[], via: PeerId): void;
  /** The open session to `via` refused our link: close it and ask the peers it named instead. */
  onDegreeFull(session: S, peers: readonly PeerId[], via: PeerId): void;
  /** A session closed: forget what it told us about its degree. */
  onClosed(peerId: PeerId): void;
  onRelay(session: S, frame: RelaySignalFrame): void | Promise<void>;
  /** Sends an own signed signal toward its `to`: directly if linked, else along a learned route, else flooded. */
  relay(frame: RelaySignalFrame): boolean;
  /** Periodic upkeep: expires unanswered wants, asks one link for its peers, wants more if short. */
  tick(): void;
  knownPeers(): number;
  /** Whether the room is past `fullMeshUpTo` as far as this peer knows (bounded degree, broadcast trees). */
  bigRoom(): boolean;
  /** Members of the room as far as links and gossip tell, self included (see isBigRoom). */
  roomSize(): number;
}

export interface PeerExchangeDeps<S> {
  self: PeerId;
  /**
   * Room members we know of, each with the neighbour that named it (`addr`, `degree-full`, shuffles):
   * the pool links are wanted from, and the routes relayed signals take.
   */
  passive: PassiveView;
  /** Open (authenticated) sessions by remote peer id. */
  openByPeer(): Map<PeerId, S>;
  /** Peers whose neighbour lists reached us by topology gossip: a room-wide count of its size. */
  gossipedRoomSize(): number;
  /** True while a link to the peer is handshaking. */
  connecting(peerId: PeerId): boolean;
  send(session: S, message: PeerMessage): boolean;
  wantLink(peerId: PeerId, via: PeerId): void;
  deliverSignal(frame: RelaySignalFrame, via: S): void | Promise<void>;
  seen: SeenCache;
  random(): number;
  hopLimit: number;
  fullMeshUpTo: number;
  targetDegree: number;
  /** Ticks before a want-link that produced no link is asked again. */
  retryTicks: number;
  /** Ticks between link refreshes in a big room (see MeshOptions.linkRefreshMs); 0 = never. */
  refreshTicks: number;
  maxDegree: number;
  minDegree: number;
  /**
   * Whether the peer sheds its own links when asked (`degree-full`), deciding on its live link count.
   * Such a peer is never cut by us: only it knows how many links it has right now.
   */
  shedsOwnLinks(peer: PeerId): boolean;
  close(session: S, reason: 'DEGREE_FULL'): void;
}

/** Neighbours' link lists and pins remembered; as many as passive view entries. */
const MAX_KNOWN_PEERS = MAX_PASSIVE_VIEW;
/** In a full-mesh room, links that ask for peers as soon as they open: the first few (see onOpen). */
const ASK_EVERY_LINK_UP_TO = 3;

export function createPeerExchange<S>(deps: PeerExchangeDeps<S>): PeerExchange<S> {
  const known = deps.passive;
  const wanted = new Map<PeerId, number>(); // peer -> ticks since we asked the app for a link
  // Peer -> ticks before we may want it again, after it turned us away (`degree-full`). Without it, a
  // peer that still believed the room small re-wanted the same full peers on every `addr`, thousands
  // of times without any time passing.
  const cooling = new Map<PeerId, number>();
  // Neighbour -> ticks it stays pinned, after we dropped or refused a link relying on it (see witnessFor).
  const pinned = new Map<PeerId, number>();
  // Neighbours that asked us to go (`degree-full`) and that we could not leave yet: the peers each
  // named (or listed since, in its latest `addr`), and the ticks the request stays open. We leave once
  // one of those is linked and we keep minDegree links without the asker.
  const askedToGo = new Map<PeerId, { named: readonly PeerId[]; ticks: number }>();

  const remember = <K, V>(map: Map<K, V>, key: K, value: V): void => rememberBounded(map, key, value, MAX_KNOWN_PEERS);
  /** The peers a neighbour's list names, but for ourselves and that neighbour. */
  const othersNamed = (peers: readonly PeerId[], via: PeerId): PeerId[] => peers.filter((p) => p !== deps.self && p !== via);
  const signals = createSignalRelay<S>({
    self: deps.self, openByPeer: deps.openByPeer, listerOf: known.sourceOf, send: deps.send,
    deliverSignal: deps.deliverSignal, seen: deps.seen, hopLimit: deps.hopLimit, maxRoutes: MAX_KNOWN_PEERS,
    mayFloodRelayed: () => !bigRoom(),
  });
  // Linked peer -> the other links its latest `addr` listed (the ones it would keep without us).
  const theirLinks = new Map<PeerId, ReadonlySet<PeerId>>();
  // Sessions told `degree-full`, with their peer. At the next tick one still open is closed if its
  // peer can spare it by then, else kept: its peer was asked to move and has not managed yet.
  const refused = new Map<S, PeerId>();
  let refreshing = false;
  let ticksToRefresh = deps.refreshTicks;
  // The latest refresh: the peer asked a link to, and the neighbour that named it. Once the new link is
  // open, the link to that neighbour may go: the two stay linked through the new peer.
  let refresh: { to: PeerId; via: PeerId } | null = null;
  // Known room size: peers heard of (`known` leaves out direct neighbours nobody else named) and self,
  // or the gossiped count when larger: `known` only reaches two hops, and a dense cluster of a big room
  // took itself for a small room and linked every member to every other.
  const roomSize = (): number => {
    let size = known.size() + 1;
    for (const peer of deps.openByPeer().keys()) if (known.sourceOf(peer) === undefined) size++;
    return Math.max(size, deps.gossipedRoomSize());
  };
  const bigRoom = (): boolean => isBigRoom([roomSize()], deps.fullMeshUpTo);
  const degree = (): number => deps.openByPeer().size + wanted.size;

  const linkable = (peer: PeerId): boolean => !deps.openByPeer().has(peer) && !wanted.has(peer) && !cooling.has(peer) && !deps.connecting(peer);

  /**
   * Promotion from the passive view (HyParView): a small room wants everyone, a big one wants links up
   * to targetDegree, picked fairly across the neighbours that named them (see PassiveView.pick).
   */
  function considerLinks(): void {
    const big = bigRoom();
    const open = deps.openByPeer();
    // In a big room only peers named by a current link are wanted: their signals take two hops (through
    // the peer that named them), where a peer whose namer is gone got its signals flooded room-wide.
    const eligible = big ? (peer: PeerId, via: PeerId): boolean => open.has(via) && linkable(peer) : linkable;
    while (!big || degree() < deps.targetDegree) {
      const picked = known.pick(eligible);
      if (picked === undefined) break;
      wanted.set(picked[0], 0);
      deps.wantLink(picked[0], picked[1]);
    }
  }

  const shuffled = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(deps.random() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };

  /** Tells `peer` to go (`degree-full`), pinning the witness the decision relied on, if any. */
  function refuse(session: S, peer: PeerId, open: Map<PeerId, S>, witness?: PeerId): void {
    if (witness !== undefined) remember(pinned, witness, 1);
    const others = shuffled([...open.keys()].filter((p) => p !== peer));
    deps.send(session, { type: 'degree-full', peers: others.slice(0, MAX_PEER_LIST) });
    refused.set(session, peer);
  }

  /** Open links not already told to go. */
  const liveLinks = (open: Map<PeerId, S>): Map<PeerId, S> => new Map([...open].filter(([, s]) => !refused.has(s)));

  /**
   * A link may go when its other end keeps at least `minDegree` links without it AND one of those, the
   * witness, is also one of ours: the two ends then stay two hops apart. The degree alone was not
   * enough: every edge of a freshly joined room can be a bridge, and shedding by degree split a
   * 200-peer simulation into parts no relay could rejoin. A witness is pinned for a while (never
   * dropped by us), or a triangle could lose all three edges to one peer's successive decisions.
   */
  function witnessFor(peer: PeerId, live: ReadonlyMap<PeerId, S>, keep: number): PeerId | undefined {
    const links = theirLinks.get(peer);
    if (pinned.has(peer) || links === undefined || links.size < keep) return undefined;
    for (const other of links) if (other !== peer && live.has(other)) return other;
    return undefined;
  }

  /**
   * Leaves `via` (which asked us to go) if one of the peers it named is linked to us and not itself
   * asking us to go: we stay two hops from `via` through it, and keep a link. Decided on our live links,
   * one request at a time: when neighbours each cut us on their own (stale) copy of our links, several
   * did so in one tick and left a peer with none. Left short of minDegree, we promote (considerLinks).
   */
  function leave(via: PeerId, session: S, named: readonly PeerId[]): boolean {
    const witness = named.find((p) => deps.openByPeer().has(p) && !askedToGo.has(p));
    if (witness === undefined) return false;
    askedToGo.delete(via);
    // No new want before the next tick: a refusal answered by an instant new want chained without
    // pause while a big room sat at its cap.
    known.forget(via);
    dropVia(session, witness);
    return true;
  }

  /** Drops the link to `peer` now that `witness` keeps us two hops apart, and keeps that one. */
  function dropVia(session: S, witness: PeerId): void {
    remember(pinned, witness, 1);
    deps.close(session, 'DEGREE_FULL');
  }

  interface Drop {
    session: S;
    peer: PeerId;
    /** Absent when the peer is only asked to move. */
    witness?: PeerId;
  }

  /**
   * Which link goes when over the cap: `peer`'s if it can spare it, else a neighbour's that can (one
   * link more, as it loses one it chose), else a well-linked neighbour is asked to move: it links to
   * one of ours, after which it can spare this link.
   */
  function chooseDrop(peer: PeerId, session: S, live: ReadonlyMap<PeerId, S>): Drop | undefined {
    const witness = witnessFor(peer, live, deps.minDegree);
    if (witness !== undefined) return { session, peer, witness };
    const spare: Drop[] = [];
    for (const [p, s] of live) {
      const w = p === peer ? undefined : witnessFor(p, live, deps.minDegree + 1);
      if (w !== undefined) spare.push({ session: s, peer: p, witness: w });
    }
    const movers = [...live].filter(([p]) => !pinned.has(p) && (theirLinks.get(p)?.size ?? 0) > deps.minDegree);
    const mover = movers[Math.floor(deps.random() * movers.length)];
    return spare[Math.floor(deps.random() * spare.length)] ?? (mover && { session: mover[1], peer: mover[0] });
  }

  /**
   * A refresh rotates a link: A links to B, a random peer its neighbour X named, then lets go of X,
   * which B keeps two hops away. Degrees stay as they were and the graph stays connected, but which
   * peers are linked keeps changing.
   */
  function refreshLinks(open: Map<PeerId, S>): void {
    if (deps.refreshTicks === 0 || !bigRoom()) return;
    if (refresh !== null && open.has(refresh.to)) {
      const live = liveLinks(open);
      const session = live.get(refresh.via);
      const witness = witnessFor(refresh.via, live, deps.minDegree + 1);
      if (session !== undefined && witness !== undefined && live.size > deps.targetDegree) refuse(session, refresh.via, open, witness);
      refresh = null;
    }
    if (--ticksToRefresh > 0) return;
    ticksToRefresh = deps.refreshTicks;
    const picked = known.pick((peer, via) => open.has(via) && linkable(peer));
    if (picked === undefined) return;
    const [to, via] = picked;
    refresh = { to, via };
    wanted.set(to, 0);
    deps.wantLink(to, via);
  }

  function enforceCap(peer: PeerId, session: S): void {
    const open = deps.openByPeer();
    const live = liveLinks(open);
    if (!bigRoom() || live.size <= deps.maxDegree || refused.has(session)) return;
    const drop = chooseDrop(peer, session, live);
    if (drop) refuse(drop.session, drop.peer, open, drop.witness);
    // Still over, or what we know of the neighbours' links is stale: ask them all (once a tick); each
    // answer comes back here and chooses the next link to go.
    if (live.size - (drop ? 1 : 0) <= deps.maxDegree || refreshing) return;
    refreshing = true;
    for (const [p, s] of live) if (p !== peer) deps.send(s, { type: 'getaddr' });
  }

  return {
    onOpen(session) {
      // A full-mesh room's members each come with the server's list, and the tick asks one link a round;
      // asking every link as it opens cost two frames per link per side while a room forms (issue 14).
      // A newcomer's first links still ask at once (it may have only the mesh to find the rest by), and a
      // big room's every link does: its degree cap decides on what the neighbours answer.
      if (bigRoom() || deps.openByPeer().size <= ASK_EVERY_LINK_UP_TO) deps.send(session, { type: 'getaddr' });
    },
    onGetAddr(session) {
      // Big rooms get a random sample, like the server's peer list.
      const peers = shuffled([...deps.openByPeer().keys()]);
      deps.send(session, { type: 'addr', peers: peers.slice(0, MAX_PEER_LIST) });
    },
    onAddr(session, peers, via) {
      const named = othersNamed(peers, via);
      for (const peer of named) known.learn(peer, via);
      remember(theirLinks, via, new Set(peers.filter((p) => p !== deps.self)));
      // A request to go is left on its asker's latest list of links: a peer it named earlier and has
      // left since no longer keeps us two hops from it.
      const request = askedToGo.get(via);
      if (request) request.named = named;
      enforceCap(via, session);
      // In a big room new wants wait for the tick: every link that opens brings an `addr`, and wanting
      // again on each one chained want -> link -> refusal -> want without any time passing.
      if (!bigRoom()) considerLinks();
    },
    onDegreeFull(session, peers, via) {
      wanted.delete(via);
      remember(cooling, via, deps.retryTicks);
      const named = othersNamed(peers, via);
      for (const peer of named) known.learn(peer, via);
      if (pinned.has(via)) return;
      // A neighbour over its cap asks again at every tick; one new link per request is enough.
      const repeated = askedToGo.has(via);
      askedToGo.set(via, { named, ticks: deps.retryTicks });
      if (leave(via, session, named) || repeated) return;
      // Closing now could split the room or strand us: link to one of its neighbours first, and leave
      // at a later tick once that link is open.
      const fresh = named.filter((p) => !wanted.has(p) && !cooling.has(p) && !deps.connecting(p) && !deps.openByPeer().has(p));
      const next = fresh[Math.floor(deps.random() * fresh.length)];
      if (next === undefined) return;
      wanted.set(next, 0);
      deps.wantLink(next, via);
    },
    onClosed(peerId) {
      theirLinks.delete(peerId);
      askedToGo.delete(peerId);
      // HyParView promotes a passive peer as soon as an active link drops; waiting for the tick left a
      // peer whose neighbours all left at once without a link to signal through by then.
      if (bigRoom() && deps.openByPeer().size < deps.minDegree) considerLinks();
      for (const session of refused.keys()) if (![...deps.openByPeer().values()].includes(session)) refused.delete(session);
    },
    onRelay: signals.onRelay,
    relay: signals.relay,
    tick() {
      countDown(cooling);
      const open = deps.openByPeer();
      // A peer that sheds its own links leaves when it can (see leave); only older ones are cut here.
      // One still here is asked for its links again: the next choice must not rest on the copy that
      // chose it (a stale witness had a peer ask the same neighbour to go for 26 ticks in a simulation,
      // over its cap all along, while that neighbour had no link to leave by).
      for (const [session, peer] of refused) {
        if (deps.shedsOwnLinks(peer)) {
          deps.send(session, { type: 'getaddr' });
          continue;
        }
        const witness = witnessFor(peer, open, deps.minDegree);
        if (witness !== undefined) dropVia(session, witness);
      }
      refused.clear();
      for (const [via, request] of askedToGo) {
        const session = open.get(via);
        if (session === undefined || --request.ticks <= 0) askedToGo.delete(via);
        else leave(via, session, request.named);
      }
      countDown(pinned);
      refreshing = false;
      for (const [peer, ticks] of wanted) {
        if (open.has(peer)) wanted.delete(peer);
        else if (ticks >= deps.retryTicks) {
          // No link came of it: the peer may have left. Forget it until someone lists it again.
          wanted.delete(peer);
          known.forget(peer);
        } else wanted.set(peer, ticks + 1);
      }
      // Keep learning: one random link is asked for its peers each tick (one small frame).
      const sessions = [...open.values()];
      const asked = sessions[Math.floor(deps.random() * sessions.length)];
      if (asked !== undefined) deps.send(asked, { type: 'getaddr' });
      considerLinks();
      refreshLinks(open);
    },
    knownPeers: () => known.size(),
    bigRoom,
    roomSize,
  };
}
