import type { PeerId } from '../ids';
import type { PeerMessage } from '../protocol/peer-messages';
import type { RoomName } from '../protocol/signal-messages';
import type { MeshCounters } from './mesh-api';
import type { LinkCloseReason } from './mesh-errors';
import { type RoomProof, roomProofBytes } from './room-proof';

/**
 * The private-room gate in front of the handshake. Each side opens with `room-auth` (its id and nonce)
 * and answers the other's with a `room-proof` of the room secret over both ids and nonces; only when the
 * other's proof checks out does it send its `hello`. So a peer without the room key learns nothing but
 * the peer id (the signal server's to know anyway): no name, no key, no topology, no message. Any other
 * frame before the proof closes the link (ROOM_KEY_REQUIRED), a failing proof too (ROOM_KEY_MISMATCH,
 * and `onMismatch`: with a wrong passphrase, every peer met fails it).
 */
export interface RoomGate<S> {
  /** The first frame a new link sends (instead of its hello). */
  opening(session: S): PeerMessage;
  /** True when the mesh may handle the frame: the link has passed the gate and it is not a gate frame. */
  screen(session: S, message: PeerMessage): Promise<boolean>;
  /** The remote proved the room secret on this link (pings are answered only then). */
  passed(session: S): boolean;
  forget(session: S): void;
}

export interface RoomGateDeps<S> {
  room: RoomName;
  self: PeerId;
  /** Proves with the first; accepts a proof of any (by scheme). Non-empty. */
  proofs: readonly [RoomProof, ...RoomProof[]];
  counters: MeshCounters;
  nonceOf(session: S): string;
  expectedPeerOf(session: S): PeerId | undefined;
  send(session: S, message: PeerMessage): boolean;
  strike(session: S): void;
  close(session: S, reason: LinkCloseReason): void;
  /** The remote proved the room secret: send the hello now. */
  onPassed(session: S): void;
  onMismatch(peer: PeerId): void;
}

export function createRoomGate<S>(deps: RoomGateDeps<S>): RoomGate<S> {
  const states = new Map<S, { remote: { peerId: PeerId; nonce: string } | null; passed: boolean }>();
  const [primary] = deps.proofs;

  function refuse(session: S, reason: LinkCloseReason): false {
    deps.counters.roomProofFailures++;
    deps.close(session, reason);
    return false;
  }

  return {
    opening(session) {
      states.set(session, { remote: null, passed: false });
      return { type: 'room-auth', peerId: deps.self, nonce: deps.nonceOf(session) };
    },
    async screen(session, message) {
      const state = states.get(session);
      if (!state) return false;
      if (message.type === 'room-auth') {
        if (state.remote) return (deps.strike(session), false);
        if (message.peerId === deps.self) return refuse(session, 'SELF_LINK');
        const expected = deps.expectedPeerOf(session);
        if (expected !== undefined && message.peerId !== expected) return refuse(session, 'UNEXPECTED_PEER');
        state.remote = { peerId: message.peerId, nonce: message.nonce };
        const transcript = roomProofBytes(deps.room, deps.self, deps.nonceOf(session), message.peerId, message.nonce);
        deps.send(session, { type: 'room-proof', scheme: primary.scheme, proof: await primary.prove(transcript) });
        return false;
      }
      if (message.type === 'room-proof') {
        const remote = state.remote;
        if (!remote || state.passed) return (deps.strike(session), false);
        const check = deps.proofs.find((proof) => proof.scheme === message.scheme);
        const transcript = roomProofBytes(deps.room, remote.peerId, remote.nonce, deps.self, deps.nonceOf(session));
        if (!check || !(await check.check(transcript, message.proof))) {
          deps.onMismatch(remote.peerId);
          return refuse(session, 'ROOM_KEY_MISMATCH');
        }
        state.passed = true;
        deps.onPassed(session);
        return false;
      }
      if (!state.passed || !state.remote) return refuse(session, 'ROOM_KEY_REQUIRED');
      // The hello must come from whoever proved the room key on this link, under the nonce it proved with.
      if (message.type === 'hello' && (message.peerId !== state.remote.peerId || message.nonce !== state.remote.nonce)) {
        return refuse(session, 'UNEXPECTED_PEER');
      }
      return true;
    },
    passed: (session) => states.get(session)?.passed === true,
    forget: (session) => void states.delete(session),
  };
}
