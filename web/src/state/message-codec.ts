import { type ChatMessage, type RoomKey, isEnvelope } from '@shoal/shared';

/** Why a message body cannot be shown. */
export type BodyProblem = 'WRONG_PASSPHRASE' | 'BAD_ENVELOPE' | 'NOT_ENCRYPTED';

/**
 * A message as the log shows it: body in plain text, or empty with the reason it could not be read;
 * the author key's fingerprint tells apart two people who chose one name.
 */
export type ViewMessage = ChatMessage & { problem?: BodyProblem; fingerprint?: string };

/** Turns typed text into a wire body and wire bodies back into readable text. */
export interface MessageCodec {
  /** Whether bodies are end-to-end encrypted (a private room). */
  readonly encrypted: boolean;
  encode(text: string): Promise<string>;
  decode(message: ChatMessage): Promise<ViewMessage>;
}

/** Public rooms: bodies travel as typed. */
export const plainCodec: MessageCodec = {
  encrypted: false,
  encode: async (text) => text,
  decode: async (message) => message,
};

/**
 * Private rooms: bodies are AES-GCM envelopes under the passphrase-derived key. A body that does not
 * decrypt is shown as unreadable with its reason, never as ciphertext or garbage; a plain body in a
 * private room is refused too, so no one can slip unencrypted text into it.
 */
export function roomKeyCodec(key: Pick<RoomKey, 'encrypt' | 'decrypt'>): MessageCodec {
  return {
    encrypted: true,
    encode: (text) => key.encrypt(text),
    async decode(message) {
      const result = await key.decrypt(message.body);
      if (result.ok) return { ...message, body: result.text };
      const problem: BodyProblem = !isEnvelope(message.body) ? 'NOT_ENCRYPTED' : result.code === 'WRONG_PASSPHRASE' ? 'WRONG_PASSPHRASE' : 'BAD_ENVELOPE';
      return { ...message, body: '', problem };
    },
  };
}
