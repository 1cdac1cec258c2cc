import { utf8Encode } from '../crypto/web-crypto';
import type { PeerId } from '../ids';
import type { RoomName } from '../protocol/signal-messages';

/**
 * Proof of a private room's secret, exchanged before anything else on a link (`room-auth`, then
 * `room-proof`). Pluggable: the mesh proves with the first of MeshDeps.roomProofs and accepts a proof of
 * any of them, found by `scheme` — today `room-key-mac` (createRoomKeyProof); a keeper capability
 * derived from the room key can be added as another scheme without touching the handshake.
 */
export interface RoomProof {
  /** Wire name of the scheme: 1–32 chars of [a-z0-9-]. */
  readonly scheme: string;
  /** A proof over the transcript (base64url, ≤ 128 chars). */
  prove(transcript: Uint8Array): Promise<string>;
  /** True when `proof` is valid for the transcript. Never throws. */
  check(transcript: Uint8Array, proof: string): Promise<boolean>;
}

/**
 * The transcript a room proof covers. Both ids and both fresh nonces bind it to this one link (no replay,
 * no splicing into another link); the prover first, so a proof reflected back at its maker is invalid.
 * The domain tag keeps it disjoint from signatures and hello proofs.
 */
export function roomProofBytes(room: RoomName, prover: PeerId, proverNonce: string, verifier: PeerId, verifierNonce: string): Uint8Array {
  return utf8Encode(JSON.stringify(['shoal/room-proof/v1', room, prover, proverNonce, verifier, verifierNonce]));
}
