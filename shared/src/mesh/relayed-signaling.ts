import { signRelaySignal } from '../crypto/relay-signature';
import type { PeerId } from '../ids';
import { MAX_RELAYED_PENDING, MAX_RELAYED_PENDING_PER_NEIGHBOUR } from '../protocol/limits';
import type { RelaySignalFrame } from '../protocol/peer-messages';
import type { RoomName, SignalData } from '../protocol/signal-messages';
import type { Identity, MeshCounters, MeshEvents, SignatureVerifier } from './mesh-api';
import { createRelayAdmission } from './relay-admission';

/**
 * Both ends of signed relayed signaling: own signals are signed and sent in call order (a candidate
 * must not overtake its offer), and signals addressed to us go through RelayAdmission before the app
 * hears of them (`relay-signal` event).
 */
export interface RelayedSignaling<S> {
  /** A `relay-signal` addressed to us arrived on `via`. */
  deliver(frame: RelaySignalFrame, via: S): Promise<void>;
  /** Signs and sends; false when no open link could carry it (the send itself happens after signing). */
  relay(to: PeerId, data: SignalData): boolean;
  linked(peer: PeerId, publicKey: string): void;
  tick(): void;
  pending(): number;
}

export interface RelayedSignalingDeps<S> {
  self: PeerId;
  room: RoomName;
  identity: Identity;
  verifier: SignatureVerifier;
  counters: MeshCounters;
  newId(): string;
  isOpen(peer: PeerId): boolean;
  peerOf(session: S): PeerId | undefined;
  hasOpenLinks(): boolean;
  send(frame: RelaySignalFrame): boolean;
  emit(payload: MeshEvents['relay-signal']): void;
  onError(error: unknown): void;
  /** Ticks a pending relayed peer keeps its slot without a link opening. */
  ttlTicks: number;
  maxKnownPeers: number;
}

export function createRelayedSignaling<S>(deps: RelayedSignalingDeps<S>): RelayedSignaling<S> {
  const admission = createRelayAdmission<S>({
    room: deps.room, verifier: deps.verifier, counters: deps.counters, isOpen: deps.isOpen,
    perNeighbour: MAX_RELAYED_PENDING_PER_NEIGHBOUR, total: MAX_RELAYED_PENDING, ttlTicks: deps.ttlTicks,
    maxKnownPeers: deps.maxKnownPeers,
  });
  let signing: Promise<void> = Promise.resolve();

  return {
    async deliver(frame, via) {
      const admitted = await admission.admit(frame, via);
      const viaPeer = deps.peerOf(via);
      if (admitted && viaPeer) deps.emit({ from: admitted.from, data: admitted.data, publicKey: admitted.publicKey, via: viaPeer });
    },
    relay(to, data) {
      if (!deps.hasOpenLinks()) return false;
      const content = { id: deps.newId(), from: deps.self, to, data };
      signing = signing
        .then(async () => {
          const signature = await signRelaySignal(deps.identity, deps.room, content);
          if (signature === null) return;
          deps.send({ type: 'relay-signal', ...content, hops: 1, publicKey: deps.identity.publicKey, signature });
        })
        .catch(deps.onError);
      return true;
    },
    linked: admission.linked,
    tick: admission.tick,
    pending: admission.pending,
  };
}
