import type { Identity, SignatureVerifier } from '../mesh/mesh-api';
import type { RoomName } from '../protocol/signal-messages';
import {
  type LegacyMessage,
  MAX_STREAM_SLOTS,
  type RedactedEvent,
  type RoomEvent,
  type SignedEvent,
  isLegacy,
  isRedacted,
} from '../protocol/room-events';
import { verifyChatMessage } from './chat-signature';
import { utf8Encode } from './web-crypto';

/** An event before signing: what the author decides. */
export interface EventDraft {
  room: RoomName;
  seq: number;
  lamport: number;
  sentAt: number;
  kind: string;
  target?: string;
  body: string;
}

/** Why an event failed verification (for counters and tests). */
export type EventCheck = 'ok' | 'bad-id' | 'bad-author' | 'bad-signature' | 'bad-redaction';

type Header = Omit<SignedEvent, 'body' | 'id' | 'signature'>;

/**
 * The exact bytes a v2 signature covers: a JSON array behind a domain tag (JSON strings are delimited and
 * every number is a validated integer, so the encoding is the same on every engine). The body enters as
 * its hash, so a header and that hash — what a deleted event keeps — verify without the body.
 */
export function eventSigningBytes(header: Header, bodyHash: string): Uint8Array {
  return utf8Encode(
    JSON.stringify([
      'shoal/event/v2', header.room, header.author, header.seq, header.lamport, header.sentAt, header.kind,
      header.target ?? null, bodyHash, header.publicKey,
    ]),
  );
}

/** The stream of `publicKey`'s writer in `slot` (see StreamIdSchema). */
export async function streamIdOf(verifier: Pick<SignatureVerifier, 'digest'>, publicKey: string, slot: number): Promise<string> {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_STREAM_SLOTS) throw new RangeError(`stream slot must be 0..${MAX_STREAM_SLOTS - 1}`);
  return `${await streamKeyOf(verifier, publicKey)}.${slot}`;
}

const streamKeyOf = async (verifier: Pick<SignatureVerifier, 'digest'>, publicKey: string): Promise<string> =>
  (await verifier.digest(utf8Encode(`shoal/stream/v2:${publicKey}`))).slice(0, 22);

export const bodyHashOf = (verifier: Pick<SignatureVerifier, 'digest'>, body: string): Promise<string> =>
  verifier.digest(utf8Encode(body));

/** Exactly the signed header fields, whatever else `source` carries (body, id, signature, redaction). */
function headerOf(source: Omit<Header, 'v' | 'target'> & { target?: string | undefined }): Header {
  return {
    v: 2, room: source.room, author: source.author, seq: source.seq, lamport: source.lamport, sentAt: source.sentAt,
    kind: source.kind, ...(source.target !== undefined && { target: source.target }), publicKey: source.publicKey,
  };
}

/** Signs a draft as `identity`, writing into its stream `author` (from streamIdOf). */
export async function signEvent(
  identity: Identity,
  verifier: Pick<SignatureVerifier, 'digest'>,
  author: string,
  draft: EventDraft,
): Promise<SignedEvent> {
  const header = headerOf({ ...draft, author, publicKey: identity.publicKey });
  const bytes = eventSigningBytes(header, await bodyHashOf(verifier, draft.body));
  const [id, signature] = await Promise.all([verifier.digest(bytes), identity.sign(bytes)]);
  return { ...header, id, body: draft.body, signature };
}

/**
 * Stream keys by public key, kept by a caller that verifies many events (a sync brings thousands from a
 * few authors): saves one digest per event. The caller bounds it.
 */
export type StreamKeyCache = Map<string, string>;

/** Checks id, stream binding and signature of one v2 event, with or without its body. */
async function checkV2(verifier: SignatureVerifier, event: SignedEvent | RedactedEvent, cache?: StreamKeyCache): Promise<EventCheck> {
  const { id, signature } = event;
  const header = headerOf(event);
  const bodyHash = isRedacted(event) ? event.bodyHash : await bodyHashOf(verifier, event.body);
  const bytes = eventSigningBytes(header, bodyHash);
  const cached = cache?.get(event.publicKey);
  // The signature covers the bytes, not the id: checked alongside it, one round trip to the browser's
  // crypto thread less per event on the way to display (a forged id costs a verify it did not need).
  const [digest, streamKey, signed] = await Promise.all([
    verifier.digest(bytes), cached ?? streamKeyOf(verifier, event.publicKey), verifier.verify(event.publicKey, signature, bytes),
  ]);
  if (cached === undefined) cache?.set(event.publicKey, streamKey);
  if (digest !== id) return 'bad-id';
  if (!event.author.startsWith(`${streamKey}.`)) return 'bad-author';
  return signed ? 'ok' : 'bad-signature';
}

/** True when `remover` is a delete by the same key naming `event` (or, for an edit, the edited event). */
export function deletes(remover: SignedEvent, event: Pick<SignedEvent, 'id' | 'target' | 'kind' | 'publicKey'>): boolean {
  if (remover.kind !== 'delete' || remover.publicKey !== event.publicKey || event.kind === 'delete') return false;
  return remover.target === event.id || (event.kind === 'edit' && event.target !== undefined && remover.target === event.target);
}

/**
 * Verifies any stored or received event: v1 messages by their v1 signature, v2 events by id, stream and
 * signature, and a redacted event also by the delete that justifies its missing body.
 */
export async function verifyEvent(verifier: SignatureVerifier, event: RoomEvent, cache?: StreamKeyCache): Promise<EventCheck> {
  if (isLegacy(event)) return (await verifyChatMessage(verifier, event)) ? 'ok' : 'bad-signature';
  if (!isRedacted(event)) return checkV2(verifier, event, cache);
  const [own, remover] = await Promise.all([checkV2(verifier, event, cache), checkV2(verifier, event.deletedBy, cache)]);
  if (own !== 'ok') return own;
  return remover === 'ok' && deletes(event.deletedBy, event) ? 'ok' : 'bad-redaction';
}

/** The header of `event` with its body replaced by the body's hash, justified by `remover`. */
export async function redact(verifier: Pick<SignatureVerifier, 'digest'>, event: SignedEvent, remover: SignedEvent): Promise<RedactedEvent> {
  const { body, ...header } = event;
  return { ...header, bodyHash: await bodyHashOf(verifier, body), deletedBy: remover };
}

export type { LegacyMessage };
