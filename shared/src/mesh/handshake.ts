import { utf8Encode } from '../crypto/web-crypto';
import type { PeerId } from '../ids';
import type { HelloMessage, PeerMessage } from '../protocol/peer-messages';
import type { RoomName } from '../protocol/signal-messages';
import { PROTOCOL_VERSION } from '../protocol/version';
import type { LinkSession } from './link-session';
import type { Identity, MeshCounters, SignatureVerifier } from './mesh-api';
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

type HandshakeFrame = Extract<PeerMessage, { type: 'hello' | 'hello-proof' }>;

export interface LinkHandshakeDeps {
  ctx: HandshakeContext;
  counters: Pick<MeshCounters, 'bannedLinksRefused' | 'handshakeFailures'>;
  banned(peerId: PeerId): boolean;
  /** A link set up through relayed signals: the key those were signed with, which the hello must prove. */
  relayKeyOf(s: LinkSession): string | undefined;
  /** Binds the peer id to its proven key; false when another key holds it (the link is refused). */
  bindAuthor(peerId: PeerId, publicKey: string): boolean;
  openSessions(): readonly LinkSession[];
  onVersionMismatch(peerId: PeerId, version: number): void;
  /** A hello passed its checks: the peer's name is known. */
  onHello(peerId: PeerId, name: string): void;
  /** Both proofs are done and the link is no duplicate: it is open. */
  onOpen(s: LinkSession): void;
}

export interface LinkHandshake {
  /** A `hello` or `hello-proof` from the link (after a private room's gate). */
  onFrame(s: LinkSession, message: HandshakeFrame): Promise<void>;
}

/**
 * Drives a link through the handshake: the peer's hello is checked and answered with our proof, its
 * proof verified, and the link opened once both are done, unless another open link to the same peer
 * wins the tie-break (linkRank).
 */
export function createLinkHandshake(deps: LinkHandshakeDeps): LinkHandshake {
  const { ctx, counters } = deps;

  function maybeOpen(s: LinkSession): void {
    const hello = s.hello;
    if (!hello || !s.proofSent || !s.proofVerified || s.state !== 'handshaking') return;
    if (!deps.bindAuthor(hello.peerId, hello.publicKey)) return s.close('PEER_ID_CONFLICT');
    for (const other of deps.openSessions()) {
      if (other.hello?.peerId !== hello.peerId || !other.hello) continue;
      const keepOther = linkRank(ctx.self.peerId, other.myNonce, other.hello) < linkRank(ctx.self.peerId, s.myNonce, hello);
      if (keepOther) return s.close('DUPLICATE_LINK');
      other.close('DUPLICATE_LINK');
    }
    s.state = 'open';
    deps.onOpen(s);
  }

  async function onHelloFrame(s: LinkSession, message: HelloMessage): Promise<void> {
    if (s.hello) return s.strike();
    if (deps.banned(message.peerId)) {
      counters.bannedLinksRefused++;
      return s.close('BANNED');
    }
    const relayKey = deps.relayKeyOf(s);
    const refusal = checkHello(ctx, message, s.expectedPeer) ?? (relayKey !== undefined && message.publicKey !== relayKey ? 'RELAY_KEY_MISMATCH' : null);
    if (refusal === 'VERSION_MISMATCH') deps.onVersionMismatch(message.peerId, message.v);
    if (refusal) {
      counters.handshakeFailures++;
      return s.close(refusal);
    }
    s.hello = message;
    deps.onHello(message.peerId, message.name);
    const signature = await signProof(ctx, s.myNonce, message);
    s.proofSent = s.send({ type: 'hello-proof', signature });
    maybeOpen(s);
  }

  async function onProofFrame(s: LinkSession, signature: string): Promise<void> {
    if (!s.hello || s.proofVerified) return s.strike();
    if (!(await verifyProof(ctx, s.myNonce, s.hello, signature))) {
      counters.handshakeFailures++;
      return s.close('BAD_PROOF');
    }
    s.fingerprint = await ctx.verifier.fingerprint(s.hello.publicKey);
    s.proofVerified = true;
    maybeOpen(s);
  }

  return {
    onFrame: (s, message) => (message.type === 'hello' ? onHelloFrame(s, message) : onProofFrame(s, message.signature)),
  };
}
