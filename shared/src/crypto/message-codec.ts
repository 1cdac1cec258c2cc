import { type FileContent, isKnownKind, parseContent } from '../protocol/event-content';
import { type RoomEvent, isLegacy, isRedacted } from '../protocol/room-events';
import { type RoomKey, isEnvelope } from './room-key';

/** One emoji under a message as the log shows it (web/src/state/reaction-table.ts aggregates them). */
export interface ReactionCount {
  emoji: string;
  /** Distinct keys whose latest reaction with this emoji is "on". */
  count: number;
  /** This reader's own key is among them: clicking the chip takes it back. */
  mine: boolean;
  /** Public keys of those who reacted, in the order they reacted (names are resolved for display). */
  keys: readonly string[];
}

/** Why a message body cannot be shown. */
export type BodyProblem = 'WRONG_PASSPHRASE' | 'BAD_ENVELOPE' | 'NOT_ENCRYPTED' | 'BAD_CONTENT';

/**
 * An event as the app sees it: the fields the log needs, with the body decrypted and parsed. `kind` is
 * the event's (v1 messages are `text`); `text` is the message or edit text, `emoji` a reaction's.
 */
export interface ViewMessage {
  id: string;
  author: string;
  publicKey: string;
  seq: number;
  lamport: number;
  sentAt: number;
  kind: string;
  target?: string;
  /** Display name the author gave with this message (empty for kinds that carry none). */
  name: string;
  /** Text to show: the message (or the newest edit of it), empty when unreadable or deleted. */
  body: string;
  replyTo?: string;
  emoji?: string;
  removeReaction?: boolean;
  /** The author deleted it; only its header is kept anywhere. */
  deleted?: boolean;
  /** Text replaced by a later edit of its author. */
  edited?: boolean;
  problem?: BodyProblem;
  /** Fingerprint of the author key: tells apart two people who chose one name. */
  fingerprint?: string;
  /** A `file` event's manifest: name, size and type as the author gave them (sanitise before showing). */
  file?: FileContent;
  /** Reactions to this message, per emoji (chat state fills it in; absent when none). */
  reactions?: readonly ReactionCount[];
}

/** Turns typed content into a wire body and wire bodies back into readable text. */
export interface MessageCodec {
  /** Whether bodies are end-to-end encrypted (a private room). */
  readonly encrypted: boolean;
  encode(text: string): Promise<string>;
  /** The body as written (decrypted), or the reason it cannot be read. */
  open(body: string): Promise<{ ok: true; text: string } | { ok: false; problem: BodyProblem }>;
}

/** Public rooms: bodies travel as typed. */
export const plainCodec: MessageCodec = {
  encrypted: false,
  encode: async (text) => text,
  open: async (body) => ({ ok: true, text: body }),
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
    async open(body) {
      if (!isEnvelope(body)) return { ok: false, problem: 'NOT_ENCRYPTED' };
      const result = await key.decrypt(body);
      if (result.ok) return { ok: true, text: result.text };
      return { ok: false, problem: result.code === 'WRONG_PASSPHRASE' ? 'WRONG_PASSPHRASE' : 'BAD_ENVELOPE' };
    },
  };
}

/** Decodes any stored or received event for the view. Never throws on peer input. */
export async function decodeEvent(codec: MessageCodec, event: RoomEvent): Promise<ViewMessage> {
  const base: ViewMessage = {
    id: event.id, author: event.author, publicKey: event.publicKey, seq: event.seq, lamport: event.lamport, sentAt: event.sentAt,
    kind: isLegacy(event) ? 'text' : event.kind, name: isLegacy(event) ? event.name : '', body: '',
    ...(!isLegacy(event) && event.target !== undefined && { target: event.target }),
  };
  if (isRedacted(event)) return { ...base, deleted: true };
  const opened = await codec.open(event.body);
  if (!opened.ok) return { ...base, problem: opened.problem };
  if (isLegacy(event)) return { ...base, body: opened.text };
  if (!isKnownKind(base.kind)) return base;
  switch (base.kind) {
    case 'text': {
      const content = parseContent('text', opened.text);
      if (!content.ok) return { ...base, problem: 'BAD_CONTENT' };
      const { text, name, replyTo } = content.value;
      return { ...base, body: text, name, ...(replyTo !== undefined && { replyTo }) };
    }
    case 'edit': {
      const content = parseContent('edit', opened.text);
      return content.ok ? { ...base, body: content.value.text } : { ...base, problem: 'BAD_CONTENT' };
    }
    case 'reaction': {
      const content = parseContent('reaction', opened.text);
      if (!content.ok) return { ...base, problem: 'BAD_CONTENT' };
      return { ...base, emoji: content.value.emoji, ...(content.value.remove === true && { removeReaction: true }) };
    }
    case 'file': {
      const content = parseContent('file', opened.text);
      return content.ok ? { ...base, file: content.value } : { ...base, problem: 'BAD_CONTENT' };
    }
    case 'profile': {
      const content = parseContent('profile', opened.text);
      return content.ok ? { ...base, name: content.value.name } : { ...base, problem: 'BAD_CONTENT' };
    }
    default:
      return base;
  }
}
