import type { PeerId } from '../ids';
import type { Clock } from '../mesh/mesh-api';
import type { PeerLink } from '../mesh/peer-link';
import type { IceServer } from '../protocol/signal-messages';
import { isBigRoom } from '../mesh/room-size';
import { backoffDelay } from './backoff';
import type { CreatePeerConnection, PeerConnection } from './peer-connection';
import { type MeshSignalingPort, type PeerConnectorOptions, type RelayedSignal, withConnectorDefaults } from './peer-connector-options';
import { type PeerSignal, parsePeerSignal } from './signal-data';
import type { SignalingClient } from './signaling-client';

export interface PeerConnectorDeps {
  selfId: PeerId;
  signaling: Pick<SignalingClient, 'on' | 'sendSignal'>;
  /** Optional second signaling path over the mesh. */
  meshSignaling?: MeshSignalingPort;
  createConnection: CreatePeerConnection;
  /**
   * Receives every opened link (the mesh's addLink). `expectedKey`: the key its relayed signals were
   * signed with, which its hello must prove.
   */
  onLink(link: PeerLink, peerId: PeerId, expectedKey?: string): void;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  random: () => number;
  options?: Partial<PeerConnectorOptions>;
}

/** How the handshake of a link travelled: through the signal server, or relayed by other peers. */
export type LinkRoute = 'server' | 'mesh';

export interface PeerConnector {
  /** Peers with an open data channel. */
  linkedPeerIds(): PeerId[];
  /** The route each open link was set up through (debug view). */
  linkRoutes(): Array<{ peerId: PeerId; route: LinkRoute }>;
  /** Signals from peers that failed validation: dropped, counted. */
  invalidSignals(): number;
  /**
   * Relayed signals refused: over the pending caps, for a live link or one the server set up, or under
   * another key than the attempt's.
   */
  refusedRelayedSignals(): number;
  /** Connections answering relayed offers not yet open (≤ maxRelayedPending). */
  pendingRelayed(): number;
  /**
   * Closes the data channel to `peerId` and refuses to link with it again (test hook). True when a
   * connection or attempt existed.
   */
  cut(peerId: PeerId): boolean;
  /** Stops re-dialling `peerId` (the mesh closed the link for a reason a retry cannot fix). */
  holdOff(peerId: PeerId): void;
  close(): void;
}

interface Attempt {
  connection: PeerConnection;
  route: LinkRoute;
  initiator: boolean;
  linked: boolean;
  /** Responder side: an offer was already applied, so another offer means the initiator restarted. */
  offered: boolean;
  timer: unknown;
  /** The key relayed signals for this attempt were signed with (all must agree; the hello must prove it). */
  relayKey: string | undefined;
  /** Set when a relayed offer created the attempt: the neighbour that relayed it (caps). */
  relayedVia: PeerId | undefined;
  /** Some of our own signals for it went through the mesh (server down): its answers may come back so. */
  relayedOut: boolean;
}

/**
 * Full mesh over signaling: dials every peer the server lists and every peer that joins later. Glare
 * rule: of each pair only the lower peer id creates the offer, so exactly one connection forms; the
 * other side answers. Rooms past `fullMeshUpTo` are not a full mesh: see PeerConnectorOptions. Opened links go to the mesh, which owns them from then on (heartbeat, handshake,
 * duplicate detection).
 */
export function createPeerConnector(deps: PeerConnectorDeps): PeerConnector {
  const options = withConnectorDefaults(deps.options);
  const attempts = new Map<PeerId, Attempt>();
  /** Peers signaling says are in the room: the ones worth re-dialling. */
  const present = new Set<PeerId>();
  const blocked = new Set<PeerId>();
  const retries = new Map<PeerId, { count: number; timer: unknown }>();
  let iceServers: IceServer[] = [];
  let invalid = 0;
  let refusedRelayed = 0;
  let closed = false;

  const weInitiate = (peer: PeerId) => deps.selfId < peer;
  /** Members besides us that signaling told us of: past fullMeshUpTo, links are chosen, not all made. */
  const bigRoom = () => isBigRoom([present.size + 1, deps.meshSignaling?.roomSize() ?? 0], options.fullMeshUpTo);
  const noop = () => {};

  const start = (peer: PeerId, initiator: boolean, route: LinkRoute, relayedVia?: PeerId): Attempt => {
    const connection = deps.createConnection({ initiator, iceServers });
    const attempt: Attempt = { connection, route, initiator, linked: false, offered: false, timer: null, relayKey: undefined, relayedVia, relayedOut: false };
    attempts.set(peer, attempt);
    attempt.timer = deps.clock.setTimeout(() => {
      attempt.timer = null;
      if (attempt.linked) return;
      // Forgotten now, not when the close event comes: Chromium counts a closed RTCPeerConnection against
      // its cap until it is garbage-collected, so nothing may keep it referenced.
      if (relayedVia !== undefined && attempts.get(peer) === attempt) attempts.delete(peer);
      connection.destroy();
    }, relayedVia === undefined ? options.connectTimeoutMs : options.relayedConnectTimeoutMs);
    // The server when it can reach the peer, else the mesh; both are tried, in that order.
    connection.onSignal((data) => {
      if (present.has(peer) && deps.signaling.sendSignal(peer, data)) return;
      attempt.relayedOut = true;
      deps.meshSignaling?.relaySignal(peer, data);
    });
    connection.onConnect((link) => {
      if (attempts.get(peer) !== attempt || closed) return link.close();
      attempt.linked = true;
      clearTimer(attempt);
      retries.delete(peer);
      deps.onLink(link, peer, attempt.relayKey);
    });
    connection.onClose(() => {
      clearTimer(attempt);
      if (attempts.get(peer) !== attempt) return;
      attempts.delete(peer);
      scheduleRetry(peer);
    });
    return attempt;
  };

  const clearTimer = (attempt: Attempt) => {
    if (attempt.timer !== null) deps.clock.clearTimeout(attempt.timer);
    attempt.timer = null;
  };

  const dial = (peer: PeerId, route: LinkRoute, initiate = weInitiate(peer)) => {
    if (closed || blocked.has(peer) || peer === deps.selfId || attempts.has(peer)) return;
    if (initiate) start(peer, true, route);
  };

  const scheduleRetry = (peer: PeerId) => {
    if (closed || blocked.has(peer) || !present.has(peer) || !weInitiate(peer)) return;
    const state = retries.get(peer) ?? { count: 0, timer: null };
    if (state.timer !== null || state.count >= options.maxRetries) return;
    state.timer = deps.clock.setTimeout(() => {
      state.timer = null;
      dial(peer, 'server');
    }, backoffDelay(state.count, deps.random, options.retry));
    state.count += 1;
    retries.set(peer, state);
  };

  const cancelRetry = (peer: PeerId) => {
    const state = retries.get(peer);
    if (state?.timer != null) deps.clock.clearTimeout(state.timer);
    retries.delete(peer);
  };

  /** Relayed connections still pending, in all or those relayed by `via`. */
  const pendingRelayed = (via?: PeerId): number =>
    [...attempts.values()].filter((a) => !a.linked && a.relayedVia !== undefined && (via === undefined || a.relayedVia === via)).length;

  /**
   * Whether a relayed signal may act on an existing attempt: never on an open link (a spoofed offer or
   * answer must not tear it down), on a server-signalled attempt only once our own signals for it went
   * through the mesh (the server failed us), and only under the key its relayed signals already used.
   */
  const relayMayTouch = (attempt: Attempt, publicKey: string): boolean =>
    !attempt.linked && (attempt.route === 'mesh' || attempt.relayedOut) && (attempt.relayKey ?? publicKey) === publicKey;

  const onSignal = (from: PeerId, raw: unknown, relay?: Omit<RelayedSignal, 'from' | 'data'>) => {
    if (closed || blocked.has(from) || from === deps.selfId) return;
    const data = parsePeerSignal(raw);
    if (!data) {
      invalid += 1;
      return;
    }
    // Only the server vouches that a peer is reachable through it; a relayed handshake goes back the same way.
    if (!relay) present.add(from);
    let attempt = attempts.get(from);
    if (relay && attempt && !relayMayTouch(attempt, relay.publicKey)) {
      refusedRelayed += 1;
      return;
    }
    if (data.type === 'offer') {
      // The lower id offers; an offer from it replaces whatever we had (it restarted the connection).
      // An offer that breaks the rule is refused while our own offer is pending, so glare stays resolved.
      if (attempt?.initiator && weInitiate(from)) return;
      if (attempt && (attempt.offered || attempt.initiator)) {
        attempts.delete(from);
        attempt.connection.destroy();
        attempt = undefined;
      }
      if (!attempt && relay) {
        if (pendingRelayed() >= options.maxRelayedPending || pendingRelayed(relay.via) >= options.maxRelayedPendingPerNeighbour) {
          refusedRelayed += 1;
          return;
        }
        attempt = start(from, false, 'mesh', relay.via);
      }
      attempt ??= start(from, false, 'server');
      attempt.offered = true;
    }
    if (attempt && relay) attempt.relayKey = relay.publicKey;
    attempt?.connection.signal(data);
  };

  const onPeerLeft = (peer: PeerId) => {
    present.delete(peer);
    cancelRetry(peer);
    const attempt = attempts.get(peer);
    // Only half-open attempts are dropped: an open data channel may outlive the peer's server connection
    // (issue 3), and the mesh heartbeat closes it if the peer is really gone.
    if (attempt && !attempt.linked) {
      attempts.delete(peer);
      attempt.connection.destroy();
    }
  };

  const unsubscribe = [
    deps.signaling.on('welcome', (welcome) => {
      iceServers = welcome.iceServers;
      for (const peer of welcome.peers) {
        present.add(peer);
        cancelRetry(peer);
      }
      if (!bigRoom()) for (const peer of welcome.peers) dial(peer, 'server');
      else for (const peer of sample(welcome.peers, options.targetDegree, deps.random)) dial(peer, 'server', true);
    }),
    deps.signaling.on('peer-joined', (peer) => {
      present.add(peer);
      cancelRetry(peer);
      // In a big room the newcomer picks its own links; every member dialling it would be turned away.
      if (!bigRoom()) dial(peer, 'server');
    }),
    deps.signaling.on('peer-left', onPeerLeft),
    deps.signaling.on('signal', ({ from, data }) => onSignal(from, data)),
    // A peer the server introduced is dialled by the glare rule (the lower id offers): while a room forms,
    // peer exchange names peers whose server-signalled link is still in ICE, and a second, competing offer
    // from the higher id would only be torn down again. The other side gets the same want-link and dials.
    // A peer only the mesh knows is dialled by whoever the mesh asked, whatever the ids say.
    // In a big room nobody dials by the glare rule alone, so a wanted link is dialled by whoever wants it.
    deps.meshSignaling?.on('want-link', ({ peerId }) => {
      if (!present.has(peerId)) dial(peerId, 'mesh', true);
      else if (bigRoom()) dial(peerId, 'server', true);
      else dial(peerId, 'server');
    }) ?? noop,
    deps.meshSignaling?.on('relay-signal', ({ from, data, publicKey, via }) => onSignal(from, data, { publicKey, via })) ?? noop,
  ];

  return {
    linkedPeerIds: () => [...attempts].filter(([, attempt]) => attempt.linked).map(([peer]) => peer),
    linkRoutes: () => [...attempts].filter(([, attempt]) => attempt.linked).map(([peerId, attempt]) => ({ peerId, route: attempt.route })),
    invalidSignals: () => invalid,
    refusedRelayedSignals: () => refusedRelayed,
    pendingRelayed: () => pendingRelayed(),
    holdOff(peer) {
      present.delete(peer);
      cancelRetry(peer);
    },
    cut(peer) {
      blocked.add(peer);
      cancelRetry(peer);
      const attempt = attempts.get(peer);
      if (!attempt) return false;
      attempts.delete(peer);
      attempt.connection.destroy();
      return true;
    },
    close() {
      if (closed) return;
      closed = true;
      for (const off of unsubscribe) off();
      for (const peer of [...retries.keys()]) cancelRetry(peer);
      for (const attempt of attempts.values()) {
        clearTimer(attempt);
        attempt.connection.destroy();
      }
      attempts.clear();
    },
  };
}

/** Up to `count` distinct items picked at random (partial Fisher-Yates over a copy). */
function sample<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}
