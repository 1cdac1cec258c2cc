import type { Identity, SignatureVerifier } from '../mesh/mesh-api';
import type { LegacyMessage } from '../protocol/room-events';
import { utf8Encode } from './web-crypto';

/** Protocol v1 messages: still verified (stored history), signed only by tests building v1 rows. */
export type UnsignedChatMessage = Omit<LegacyMessage, 'signature'>;

/**
 * The exact bytes a chat signature covers: a JSON array of the fields in fixed order behind a domain
 * tag. JSON strings are length-delimited by their quotes and escapes, and all numbers are validated
 * integers, so the encoding is deterministic across engines and no two messages share it. The tag keeps
 * a chat signature from ever being valid as a handshake proof (and vice versa).
 */
export function chatSigningBytes(m: UnsignedChatMessage): Uint8Array {
  return utf8Encode(
    JSON.stringify(['shoal/chat/v1', m.id, m.room, m.author, m.seq, m.lamport, m.sentAt, m.name, m.body, m.publicKey]),
  );
}

/** Signs a message with the author's identity (its publicKey must be the identity's). */
export async function signChatMessage(identity: Identity, message: UnsignedChatMessage): Promise<LegacyMessage> {
  if (message.publicKey !== identity.publicKey) throw new Error('message publicKey is not this identity');
  return { ...message, signature: await identity.sign(chatSigningBytes(message)) };
}

/** True when the signature is the message's own key's signature over its canonical bytes. */
export function verifyChatMessage(verifier: SignatureVerifier, message: LegacyMessage): Promise<boolean> {
  const { signature, ...unsigned } = message;
  return verifier.verify(message.publicKey, signature, chatSigningBytes(unsigned));
}
