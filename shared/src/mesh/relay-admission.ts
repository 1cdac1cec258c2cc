import { verifyRelaySignal } from '../crypto/relay-signature';
import type { PeerId } from '../ids';
import type { RelaySignalFrame } from '../protocol/peer-messages';
import type { RoomName, SignalData } from '../protocol/signal-messages';
import { remember } from './bounded-maps';
import type { MeshCounters, SignatureVerifier } from './mesh-api';

/** A relayed signal that passed admission: its signature verified under `publicKey`. */
export interface AdmittedSignal<S> {
  from: PeerId;
  data: SignalData;
  publicKey: string;
  /** The link it arrived on (the last relay). */
  via: S;
}

/**
 * What the target of a `relay-signal` does before acting on it. Cheap checks first, so that refused
 * signals cost no signature check: a peer with an open link is never signalled through the mesh (a
 * spoofed offer must not disturb a live link), a key other than the one known for the peer is refused,
 * and a signal from a peer not yet pending takes a slot only within the per-neighbour and total caps.
 * The signature is checked last; a bad one frees the slot it took. Nothing here penalises the link the
 * signal came on: a relay cannot check signatures it forwards, so it is only bounded, never blamed.
 */
export interface RelayAdmission<S> {
  admit(frame: RelaySignalFrame, via: S): Promise<AdmittedSignal<S> | null>;
  /** A link to the peer opened under `publicKey`: it frees its slot, and its id stays bound to that key. */
  linked(peer: PeerId, publicKey: string): void;
  /** Expires slots older than `ttlTicks` (their connections have failed or timed out by then). */
  tick(): void;
  pending(): number;
}

export interface RelayAdmissionDeps {
  room: RoomName;
  verifier: SignatureVerifier;
  counters: MeshCounters;
  isOpen(peer: PeerId): boolean;
  /** Peer ids whose link-proven key is remembered (least recently linked evicted). */
  maxKnownPeers: number;
  perNeighbour: number;
  total: number;
  ttlTicks: number;
}

export function createRelayAdmission<S>(deps: RelayAdmissionDeps): RelayAdmission<S> {
  const { counters } = deps;
  const slots = new Map<PeerId, { via: S; publicKey: string; ticks: number }>();
  /** Keys proven in a hello: a signal under another key for the same id is an impostor's. */
  const provenKeys = new Map<PeerId, string>();
  const heldBy = (via: S): number => [...slots.values()].filter((slot) => slot.via === via).length;

  return {
    async admit(frame, via) {
      if (deps.isOpen(frame.from)) {
        counters.relaySignalsForOpenLink++;
        return null;
      }
      const slot = slots.get(frame.from);
      const known = provenKeys.get(frame.from) ?? slot?.publicKey;
      if (known !== undefined && known !== frame.publicKey) {
        counters.relaySignalsKeyConflict++;
        return null;
      }
      let taken = false;
      if (!slot) {
        if (slots.size >= deps.total || heldBy(via) >= deps.perNeighbour) {
          counters.relaySignalsOverCap++;
          return null;
        }
        // Taken before the (async) check so that a burst cannot overrun the caps while checks run.
        slots.set(frame.from, { via, publicKey: frame.publicKey, ticks: 0 });
        taken = true;
      }
      const { id, from, to, data, publicKey, signature } = frame;
      if (!(await verifyRelaySignal(deps.verifier, deps.room, { id, from, to, data }, publicKey, signature))) {
        counters.relaySignalsBadSignature++;
        if (taken) slots.delete(frame.from);
        return null;
      }
      return { from, data, publicKey, via };
    },
    linked(peer, publicKey) {
      slots.delete(peer);
      remember(provenKeys, peer, publicKey, deps.maxKnownPeers);
    },
    tick() {
      for (const [peer, slot] of slots) if (++slot.ticks > deps.ttlTicks) slots.delete(peer);
    },
    pending: () => slots.size,
  };
}
