import type { PeerId } from '../ids';
import type { RelaySignalFrame } from '../protocol/peer-messages';
import { remember } from './bounded-maps';
import type { SeenCache } from './seen-cache';

/**
 * WebRTC signaling routed over data channels (`relay-signal`): straight to the target when linked,
 * else along the link its own signals came in on, else to the neighbour whose `addr` listed it (one
 * hop from it), and flooded only when no route is known — by relays only while the room is small: in a
 * big room a relayed signal without a route is dropped (its want times out and another peer is
 * wanted), since one flood costs a frame per link of the whole room. Relays check only the frame's shape (the
 * parser did): the signature is the target's to check (deliverSignal), since only it acts on the signal.
 */
export interface SignalRelay<S> {
  /** Resolves once a signal addressed to us has been admitted or refused (link order is kept). */
  onRelay(session: S, frame: RelaySignalFrame): void | Promise<void>;
  /** Sends an own, signed frame (from = self) toward its `to`. */
  relay(frame: RelaySignalFrame): boolean;
}

export interface SignalRelayDeps<S> {
  self: PeerId;
  openByPeer(): Map<PeerId, S>;
  /** The neighbour whose latest `addr` named `peer`, if any. */
  listerOf(peer: PeerId): PeerId | undefined;
  send(session: S, message: RelaySignalFrame): boolean;
  deliverSignal(frame: RelaySignalFrame, via: S): void | Promise<void>;
  seen: SeenCache;
  hopLimit: number;
  /** Routes remembered (least recently used evicted). */
  maxRoutes: number;
  /** Whether a relayed signal without a route may be flooded (the room is small). */
  mayFloodRelayed(): boolean;
}

export function createSignalRelay<S>(deps: SignalRelayDeps<S>): SignalRelay<S> {
  const routes = new Map<PeerId, S>(); // originator of a relayed signal -> the session it came from

  function nextHop(to: PeerId, open: Map<PeerId, S>): S | undefined {
    const lister = deps.listerOf(to);
    return open.get(to) ?? routes.get(to) ?? (lister === undefined ? undefined : open.get(lister));
  }

  function forward(frame: RelaySignalFrame, from: S | null): boolean {
    const open = deps.openByPeer();
    const direct = nextHop(frame.to, open);
    if (direct !== undefined && direct !== from && deps.send(direct, frame)) return true;
    if (frame.hops >= deps.hopLimit || (from !== null && !deps.mayFloodRelayed())) return false;
    let sent = false;
    const next = { ...frame, hops: frame.hops + 1 };
    for (const session of open.values()) if (session !== from) sent = deps.send(session, next) || sent;
    return sent;
  }

  return {
    onRelay(session, frame) {
      if (deps.seen.has(frame.id) || frame.from === deps.self) return;
      deps.seen.add(frame.id);
      remember(routes, frame.from, session, deps.maxRoutes);
      if (frame.to === deps.self) return deps.deliverSignal(frame, session);
      forward(frame, session);
    },
    relay(frame) {
      deps.seen.add(frame.id);
      return forward(frame, null);
    },
  };
}
