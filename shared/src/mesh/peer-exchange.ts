import type { PeerId } from '../ids';
import { MAX_PEER_LIST } from '../protocol/limits';
import type { PeerMessage, RelaySignalFrame } from '../protocol/peer-messages';
import type { SignalData } from '../protocol/signal-messages';
import type { SeenCache } from './seen-cache';

/**
 * Peer exchange (issue 3): peers tell each other whom they are linked to (`getaddr`/`addr`) and route
 * WebRTC signaling for each other (`relay-signal`), so a newcomer with one live link can complete its
 * links to the room without the signal server. Above `fullMeshUpTo` known peers it only asks for links
 * until it has `targetDegree`; flooding still reaches everyone over the resulting connected graph.
 * Inbound links are bounded too: past `maxDegree`, a link is refused (`degree-full` + alternatives)
 * only when its other end keeps at least `minDegree` links without it, as its latest `addr` says.
 * A newcomer with fewer is kept, and a link to a neighbour that can spare one is shed instead; trimming
 * without that rule split the graph into parts no relay could rejoin (measured, 200-peer simulation).
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
  onRelay(session: S, frame: RelaySignalFrame): void;
  /** Sends a signaling payload toward `to`: directly if linked, else along a learned route, else flooded. */
  relay(to: PeerId, data: SignalData): boolean;
  /** Periodic upkeep: expires unanswered wants, asks one link for its peers, wants more if short. */
  tick(): void;
  knownPeers(): number;
}

export interface PeerExchangeDeps<S> {
  self: PeerId;
  /** Open (authenticated) sessions by remote peer id. */
  openByPeer(): Map<PeerId, S>;
  /** True while a link to the peer is handshaking. */
  connecting(peerId: PeerId): boolean;
  send(session: S, message: PeerMessage): boolean;
  wantLink(peerId: PeerId, via: PeerId): void;
  deliverSignal(from: PeerId, data: SignalData): void;
  seen: SeenCache;
  newId(): string;
  random(): number;
  hopLimit: number;
  fullMeshUpTo: number;
  targetDegree: number;
  /** Ticks before a want-link that produced no link is asked again. */
  retryTicks: number;
  maxDegree: number;
  minDegree: number;
  close(session: S, reason: 'DEGREE_FULL'): void;
}

/** Addresses remembered; a bigger room is sampled, which is all bounded degree needs. */
const MAX_KNOWN_PEERS = 1024;

export function createPeerExchange<S>(deps: PeerExchangeDeps<S>): PeerExchange<S> {
  const known = new Map<PeerId, PeerId>(); // peer -> who told us (the relay to reach it through)
  const wanted = new Map<PeerId, number>(); // peer -> ticks since we asked the app for a link
  // Peer -> ticks before we may want it again, after it turned us away (`degree-full`). Without it, a
  // peer that still believed the room small re-wanted the same full peers on every `addr`, thousands
  // of times without any time passing.
  const cooling = new Map<PeerId, number>();
  const routes = new Map<PeerId, S>(); // originator of a relayed signal -> the session it came from

  const remember = <K, V>(map: Map<K, V>, key: K, value: V): void => {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_KNOWN_PEERS) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  };
  // Linked peer -> how many other links its latest `addr` listed (the ones it could keep without us).
  const degrees = new Map<PeerId, number>();
  // Sessions told `degree-full`; closed at the next tick if the other end (an older version) did not.
  const refused = new Set<S>();
  let refreshing = false;
  // Known room size: peers heard of (`known` leaves out direct neighbours nobody else named) and self.
  const bigRoom = (): boolean => {
    let size = known.size + 1;
    for (const peer of deps.openByPeer().keys()) if (!known.has(peer)) size++;
    return size > deps.fullMeshUpTo;
  };
  const degree = (): number => deps.openByPeer().size + wanted.size;

  function considerLinks(): void {
    const open = deps.openByPeer();
    const candidates = [...known.keys()].filter((p) => !open.has(p) && !wanted.has(p) && !cooling.has(p) && !deps.connecting(p));
    const big = bigRoom();
    while (candidates.length > 0 && (!big || degree() < deps.targetDegree)) {
      const [peer] = candidates.splice(Math.floor(deps.random() * candidates.length), 1);
      if (!peer) break;
      wanted.set(peer, 0);
      deps.wantLink(peer, known.get(peer) ?? peer);
    }
  }

  const shuffled = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(deps.random() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };

  function refuse(session: S, peer: PeerId, open: Map<PeerId, S>): void {
    const others = shuffled([...open.keys()].filter((p) => p !== peer));
    deps.send(session, { type: 'degree-full', peers: others.slice(0, MAX_PEER_LIST) });
    refused.add(session);
  }

  /** Over the cap: refuse `peer` if it can spare the link, else shed a neighbour that can. */
  function enforceCap(peer: PeerId, session: S): void {
    const open = deps.openByPeer();
    const live = [...open].filter(([, s]) => !refused.has(s));
    if (!bigRoom() || live.length <= deps.maxDegree || refused.has(session)) return;
    if ((degrees.get(peer) ?? 0) >= deps.minDegree) return refuse(session, peer, open);
    const spare = live.filter(([p]) => p !== peer && (degrees.get(p) ?? 0) > deps.minDegree);
    const shed = spare[Math.floor(deps.random() * spare.length)];
    if (shed) return refuse(shed[1], shed[0], open);
    // What we know of the neighbours' degrees may be stale: ask them all (once a tick); each answer
    // comes back here and the first one that can spare the link is shed.
    if (refreshing) return;
    refreshing = true;
    for (const [p, s] of live) if (p !== peer) deps.send(s, { type: 'getaddr' });
  }

  function forward(frame: RelaySignalFrame, from: S | null): boolean {
    const open = deps.openByPeer();
    const direct = open.get(frame.to) ?? routes.get(frame.to);
    if (direct !== undefined && direct !== from && deps.send(direct, frame)) return true;
    if (frame.hops >= deps.hopLimit) return false;
    let sent = false;
    const next = { ...frame, hops: frame.hops + 1 };
    for (const session of open.values()) if (session !== from) sent = deps.send(session, next) || sent;
    return sent;
  }

  return {
    onOpen(session) {
      deps.send(session, { type: 'getaddr' });
    },
    onGetAddr(session) {
      // Big rooms get a random sample, like the server's peer list.
      const peers = shuffled([...deps.openByPeer().keys()]);
      deps.send(session, { type: 'addr', peers: peers.slice(0, MAX_PEER_LIST) });
    },
    onAddr(session, peers, via) {
      for (const peer of peers) if (peer !== deps.self && peer !== via) remember(known, peer, via);
      remember(degrees, via, peers.filter((p) => p !== deps.self).length);
      enforceCap(via, session);
      // In a big room new wants wait for the tick: every link that opens brings an `addr`, and wanting
      // again on each one chained want -> link -> refusal -> want without any time passing.
      if (!bigRoom()) considerLinks();
    },
    onDegreeFull(session, peers, via) {
      wanted.delete(via);
      remember(cooling, via, deps.retryTicks);
      known.delete(via);
      for (const peer of peers) if (peer !== deps.self && peer !== via) remember(known, peer, via);
      // No new want before the next tick: a refusal answered by an instant new want (refused again,
      // and so on) chained without pause while most of a big room sat at its cap.
      deps.close(session, 'DEGREE_FULL');
    },
    onClosed(peerId) {
      degrees.delete(peerId);
      for (const session of refused) if (![...deps.openByPeer().values()].includes(session)) refused.delete(session);
    },
    onRelay(session, frame) {
      if (deps.seen.has(frame.id) || frame.from === deps.self) return;
      deps.seen.add(frame.id);
      remember(routes, frame.from, session);
      if (frame.to === deps.self) return deps.deliverSignal(frame.from, frame.data);
      forward(frame, session);
    },
    relay(to, data) {
      const frame: RelaySignalFrame = { type: 'relay-signal', id: deps.newId(), from: deps.self, to, hops: 1, data };
      deps.seen.add(frame.id);
      return forward(frame, null);
    },
    tick() {
      for (const [peer, ticks] of cooling) {
        if (ticks <= 1) cooling.delete(peer);
        else cooling.set(peer, ticks - 1);
      }
      for (const session of refused) deps.close(session, 'DEGREE_FULL');
      refused.clear();
      refreshing = false;
      const open = deps.openByPeer();
      for (const [peer, ticks] of wanted) {
        if (open.has(peer)) wanted.delete(peer);
        else if (ticks >= deps.retryTicks) {
          // No link came of it: the peer may have left. Forget it until someone lists it again.
          wanted.delete(peer);
          known.delete(peer);
        } else wanted.set(peer, ticks + 1);
      }
      // Keep learning: one random link is asked for its peers each tick (one small frame).
      const sessions = [...open.values()];
      const asked = sessions[Math.floor(deps.random() * sessions.length)];
      if (asked !== undefined) deps.send(asked, { type: 'getaddr' });
      considerLinks();
    },
    knownPeers: () => known.size,
  };
}
