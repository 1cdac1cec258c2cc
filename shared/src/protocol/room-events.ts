import * as v from 'valibot';
import { PeerIdSchema, UUID_PATTERN } from '../ids';
import { MAX_BODY_CHARS, MAX_COUNTER, MAX_NAME_CHARS } from './limits';
import { RoomNameSchema } from './signal-messages';

/**
 * Room events (protocol v2): one signed envelope for everything a room remembers — text, reactions,
 * edits, deletions, file manifests, profiles — so each kind is de-duplicated, stored and synced alike.
 *
 * The signature covers what travels, not what it means: the room id, the header and the SHA-256 of the
 * body (ciphertext in private rooms). A peer without the passphrase can therefore verify, store and serve
 * a private room's events, and a deleted event can be kept as a header whose signature still verifies
 * (the body removed, its hash kept). The event id is the hash of the signed bytes: one id, one content.
 *
 * Protocol v1 messages (`LegacyMessage`) stay valid history: they keep their v1 signature and are shown,
 * stored and synced as text.
 */

const B64URL = /^[A-Za-z0-9_-]+$/;

/** SHA-256 in base64url without padding: 43 characters. */
export const HashSchema = v.pipe(v.string(), v.length(43), v.regex(B64URL));
/** A v2 event id: the hash of its signed bytes. */
export const EventIdSchema = HashSchema;
/** Ids of v1 messages (UUIDs) and v2 events (hashes): what replies, reactions and deletes may name. */
export const AnyEventIdSchema = v.union([EventIdSchema, v.pipe(v.string(), v.regex(UUID_PATTERN))]);

/**
 * Devices (browser profiles, Node peers) per identity key that may write at once, each in its own stream.
 * Tabs of one profile share a slot through a lock, so the version vector grows by device, not by page load.
 */
export const MAX_STREAM_SLOTS = 64;

/**
 * A v2 author stream: `<22 base64url chars of SHA-256(public key)>.<slot>`. Derived from the key, so no
 * one can write into another's stream, and a receiver checks the binding itself without any handshake.
 */
export const StreamIdSchema = v.pipe(v.string(), v.maxLength(25), v.regex(/^[A-Za-z0-9_-]{22}\.(?:[0-9]|[1-5][0-9]|6[0-3])$/));
/** Author keys of a version vector: v1 session ids (UUIDs) and v2 stream ids. */
export const AuthorIdSchema = v.union([v.pipe(v.string(), v.regex(UUID_PATTERN)), StreamIdSchema]);

/** Raw public key, base64url: 43 chars (Ed25519) or 87 (P-256); the cap leaves room, nothing more. */
export const PublicKeySchema = v.pipe(v.string(), v.maxLength(128), v.regex(B64URL));
/** Signature, base64url: 86 chars for both Ed25519 and P-256 (P1363 r||s). */
export const SignatureSchema = v.pipe(v.string(), v.maxLength(128), v.regex(B64URL));
export const Counter = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(MAX_COUNTER));
export const NameSchema = v.pipe(v.string(), v.maxLength(MAX_NAME_CHARS));

/** Kinds this version shows. Others (from a newer version) are verified, stored and synced unseen. */
export const KNOWN_EVENT_KINDS = ['text', 'reaction', 'edit', 'delete', 'file', 'profile'] as const;
export type KnownEventKind = (typeof KNOWN_EVENT_KINDS)[number];
export const EventKindSchema = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,31}$/, 'event kind must be a short lowercase word'));
/**
 * Kinds that must carry `target` (and the only known kinds that may): reaction, edit and delete name an
 * earlier event (edits and deletes only by that event's key); a file names the root of its bytes.
 */
export const TARGETED_KINDS: ReadonlySet<string> = new Set(['reaction', 'edit', 'delete', 'file']);
export const AUTHOR_ONLY_KINDS: ReadonlySet<string> = new Set(['edit', 'delete']);

/** Protocol v1 chat message (v1 signature over id, room, session, seq, Lamport, time, name, body, key). */
export const LegacyMessageSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(UUID_PATTERN, 'message id must be a lowercase UUID')),
  room: RoomNameSchema,
  author: PeerIdSchema,
  seq: Counter(1),
  lamport: Counter(1),
  sentAt: Counter(0),
  name: NameSchema,
  body: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_BODY_CHARS)),
  publicKey: PublicKeySchema,
  signature: SignatureSchema,
});
export type LegacyMessage = v.InferOutput<typeof LegacyMessageSchema>;

const headerEntries = {
  v: v.literal(2),
  id: EventIdSchema,
  room: RoomNameSchema,
  author: StreamIdSchema,
  seq: Counter(1),
  lamport: Counter(1),
  sentAt: Counter(0),
  kind: EventKindSchema,
  /**
   * Clear even in private rooms, so blind peers enforce the rules. Reaction, edit, delete: the event
   * acted on. File: the root of the file's bytes (SHA-256 over the concatenated SHA-256 digests of its
   * chunks as stored and sent, ciphertext in private rooms), so a blind keeper verifies every chunk
   * against a signed value. Other known kinds carry none (TARGETED_KINDS).
   */
  target: v.optional(AnyEventIdSchema),
  publicKey: PublicKeySchema,
  signature: SignatureSchema,
};

/** A v2 event with its body: content JSON in public rooms, the encrypted envelope of it in private ones. */
export const SignedEventSchema = v.strictObject({
  ...headerEntries,
  body: v.pipe(v.string(), v.maxLength(MAX_BODY_CHARS)),
});
export type SignedEvent = v.InferOutput<typeof SignedEventSchema>;

/**
 * A v2 event whose content its author deleted: the signed header and the body's hash, with the delete
 * that justifies the missing body. Anyone can verify both; a relay cannot strip content without the
 * author's own signed delete.
 */
export const RedactedEventSchema = v.strictObject({
  ...headerEntries,
  bodyHash: HashSchema,
  deletedBy: SignedEventSchema,
});
export type RedactedEvent = v.InferOutput<typeof RedactedEventSchema>;

/** Anything a room's history holds and syncs. Told apart by `v` and `bodyHash`. */
export const RoomEventSchema = v.union([SignedEventSchema, RedactedEventSchema, LegacyMessageSchema]);
export type RoomEvent = v.InferOutput<typeof RoomEventSchema>;

/** Parses an untrusted value (a stored row, an imported line) as a RoomEvent; null when it is not one. */
export function toRoomEvent(value: unknown): RoomEvent | null {
  const result = v.safeParse(RoomEventSchema, value);
  return result.success ? result.output : null;
}

export const isLegacy = (event: RoomEvent): event is LegacyMessage => !('v' in event);
export const isRedacted = (event: RoomEvent): event is RedactedEvent => 'bodyHash' in event;
export const isSigned = (event: RoomEvent): event is SignedEvent => 'v' in event && !('bodyHash' in event);

/** Orders events identically on every peer: Lamport time, then id. */
export function compareEvents(a: Pick<RoomEvent, 'lamport' | 'id'>, b: Pick<RoomEvent, 'lamport' | 'id'>): number {
  return a.lamport - b.lamport || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The body of an event; null when its author deleted it (a redacted event keeps only the body's hash). */
export const bodyOf = (event: RoomEvent): string | null => ('body' in event ? event.body : null);
