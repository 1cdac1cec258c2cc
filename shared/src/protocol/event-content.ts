import * as v from 'valibot';
import { type Result, fail, ok } from '../errors';
import { MAX_COUNTER, MAX_TEXT_CHARS } from './limits';
import { AnyEventIdSchema, HashSchema, type KnownEventKind, NameSchema } from './room-events';

/**
 * What an event's body says, per kind: JSON, parsed only by peers that can read it (in private rooms the
 * body is the encrypted envelope of this JSON). Relays and keepers never need it.
 */

/** Longest reaction: one emoji, with skin tone and ZWJ sequences (👩‍👩‍👧‍👦 is 11 UTF-16 units). */
export const MAX_REACTION_CHARS = 16;
/** Longest file name in a manifest, in UTF-16 units. */
export const MAX_FILE_NAME_CHARS = 255;
/** Longest media type in a manifest (RFC 6838 allows 127 + '/' + 127). */
export const MAX_MEDIA_TYPE_CHARS = 255;

export const TextContentSchema = v.strictObject({
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT_CHARS)),
  /** The author's display name when sending (in private rooms encrypted with the rest). */
  name: NameSchema,
  replyTo: v.optional(AnyEventIdSchema),
});
export const ReactionContentSchema = v.strictObject({
  emoji: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_REACTION_CHARS)),
  /** Takes the author's earlier reaction with this emoji back. */
  remove: v.optional(v.boolean()),
});
export const EditContentSchema = v.strictObject({ text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT_CHARS)) });
export const DeleteContentSchema = v.strictObject({});
export const FileContentSchema = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_FILE_NAME_CHARS)),
  size: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_COUNTER)),
  type: v.pipe(v.string(), v.maxLength(MAX_MEDIA_TYPE_CHARS)),
  /** Bytes per chunk; every chunk but the last is this long. */
  chunkSize: v.pipe(v.number(), v.integer(), v.minValue(1024), v.maxValue(4 * 1024 * 1024)),
  /**
   * Content identity: SHA-256 over the concatenated SHA-256 digests of the PLAINTEXT chunks, base64url
   * (a hash list rather than a hash of the whole file, because WebCrypto has no incremental SHA-256 and
   * a file is never held whole). Equal to `root` in public rooms.
   */
  hash: HashSchema,
  /** The same over the chunks as stored and sent (ciphertext in private rooms); equals the event's `target`. */
  root: HashSchema,
  /**
   * Private rooms only: the file's own AES-256-GCM key, base64url (32 bytes). It travels inside the
   * encrypted manifest, so only room members read it; keepers store and serve ciphertext blind.
   */
  key: v.optional(v.pipe(v.string(), v.length(43), v.regex(/^[A-Za-z0-9_-]+$/))),
});
export const ProfileContentSchema = v.strictObject({ name: NameSchema });

const CONTENT_SCHEMAS = {
  text: TextContentSchema,
  reaction: ReactionContentSchema,
  edit: EditContentSchema,
  delete: DeleteContentSchema,
  file: FileContentSchema,
  profile: ProfileContentSchema,
} as const;

export type EventContent = { [K in KnownEventKind]: v.InferOutput<(typeof CONTENT_SCHEMAS)[K]> };
export type TextContent = EventContent['text'];
export type FileContent = EventContent['file'];

/** True for the kinds this version shows. */
export function isKnownKind(kind: string): kind is KnownEventKind {
  return Object.hasOwn(CONTENT_SCHEMAS, kind);
}

/** Serialises a content for signing (then, in private rooms, encrypting). */
export function encodeContent<K extends KnownEventKind>(_kind: K, content: EventContent[K]): string {
  return JSON.stringify(content);
}

/** Parses a decoded body. Codes: BAD_JSON, BAD_SHAPE. Never throws. */
export function parseContent<K extends KnownEventKind>(kind: K, text: string): Result<EventContent[K]> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('BAD_JSON', 'event body is not JSON');
  }
  const parsed = v.safeParse(CONTENT_SCHEMAS[kind], raw);
  return parsed.success ? ok(parsed.output as EventContent[K]) : fail('BAD_SHAPE', `not a ${kind} event body`);
}
