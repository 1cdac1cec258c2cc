import { utf8Encode } from '../crypto/web-crypto';
import type { PeerId } from '../ids';
import type { HelloMessage } from '../protocol/peer-messages';
import type { RoomName } from '../protocol/signal-messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import type { Identity, SignatureVerifier } from './mesh-api';
import type { LinkCloseReason } from './mesh-errors';

/**
 * Link handshake. Each side sends `hello` with a fresh nonce, then `hello-proof`: its signature over
 * (room, its own id and nonce, the other's id and nonce). Signing the OTHER side's fresh nonce proves
 * key possession now (no replay of an old proof); including both ids and both nonces binds the proof
 * to this one link, so a relay cannot splice one link's proof into another.
 */

export interface HandshakeContext {
  self: { peerId: PeerId; name: string };
  room: RoomName;
  identity: Identity;
  verifier: SignatureVerifier;
}

export function buildHello(ctx: HandshakeContext, nonce: string): HelloMessage {
  return {
    type: 'hello',
    v: PROTOCOL_VERSION,
    room: ctx.room,
    peerId: ctx.self.peerId,
    name: ctx.self.name,
    publicKey: ctx.identity.publicKey,
    nonce,
  };
}

/** Why a hello is refused before any crypto, or null when the link may proceed. */
export function checkHello(ctx: HandshakeContext, hello: HelloMessage, expectedPeer: PeerId | undefined): LinkCloseReason | null {
  if (hello.v !== PROTOCOL_VERSION) return 'VERSION_MISMATCH';
  if (hello.room !== ctx.room) return 'WRONG_ROOM';
  if (hello.peerId === ctx.self.peerId) return 'SELF_LINK';
  if (expectedPeer !== undefined && hello.peerId !== expectedPeer) return 'UNEXPECTED_PEER';
  return null;
}

/** The bytes a proof signs; the domain tag keeps them disjoint from chat signing bytes. */
export function helloProofBytes(room: RoomName, signer: string, signerNonce: string, verifier: string, verifierNonce: string): Uint8Array {
  return utf8Encode(JSON.stringify(['shoal/hello-proof/v1', room, signer, signerNonce, verifier, verifierNonce]));
}

export function signProof(ctx: HandshakeContext, myNonce: string, remote: HelloMessage): Promise<string> {
  return ctx.identity.sign(helloProofBytes(ctx.room, ctx.self.peerId, myNonce, remote.peerId, remote.nonce));
}

export function verifyProof(ctx: HandshakeContext, myNonce: string, remote: HelloMessage, signature: string): Promise<boolean> {
  return ctx.verifier.verify(
    remote.publicKey,
    signature,
    helloProofBytes(ctx.room, remote.peerId, remote.nonce, ctx.self.peerId, myNonce),
  );
}

/**
 * Tie-break rank of a link, identical on both ends: the nonce contributed by the lower peer id. When two
 * authenticated links join the same pair (duplicate dial, or glare: both sides dialing at once), both
 * sides keep the link with the lower rank and close the other, without any extra message.
 */
export function linkRank(selfId: PeerId, myNonce: string, remote: HelloMessage): string {
  return selfId < remote.peerId ? myNonce : remote.nonce;
}
