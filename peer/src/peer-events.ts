import { MAX_NAME_CHARS, MAX_TEXT_CHARS, type Result, parseJsonFrame, schemasByType } from '@shoal/shared';
import * as v from 'valibot';
import type { CliErrorCode } from './cli-error';

/**
 * `--json` output: one object per line on stdout, for bots and scripts. The schema is the contract
 * (README documents it): every line parses with `PeerEventSchema`, and tests hold the output to it.
 * Fields are added, never renamed; consumers should ignore what they do not know.
 */

const room = v.pipe(v.string(), v.maxLength(64));
const peerId = v.string();

/** Joined the room (one per room, first): who we are there. */
export const ReadyEventSchema = v.strictObject({
  type: v.literal('ready'),
  room,
  peerId,
  fingerprint: v.string(),
  name: v.pipe(v.string(), v.maxLength(MAX_NAME_CHARS)),
  /** True when the room is kept blind (keeper token): messages carry no text. */
  blind: v.boolean(),
});

/** A room event: stored history (`history: true`) or live. */
export const MessageEventSchema = v.strictObject({
  type: v.literal('message'),
  room,
  id: v.string(),
  kind: v.string(),
  /** The author's stream (v2) or session (v1). */
  author: v.string(),
  fingerprint: v.string(),
  name: v.string(),
  /** The text of a text or edit, the emoji of a reaction; null when unreadable, deleted or blind. */
  text: v.nullable(v.pipe(v.string(), v.maxLength(MAX_TEXT_CHARS))),
  sentAt: v.number(),
  history: v.boolean(),
  /** Sent by this peer. */
  own: v.boolean(),
  target: v.optional(v.string()),
  replyTo: v.optional(v.string()),
  deleted: v.optional(v.literal(true)),
  /** Why text is null for a readable kind: WRONG_PASSPHRASE, BAD_ENVELOPE, NOT_ENCRYPTED, BAD_CONTENT, BLIND. */
  problem: v.optional(v.string()),
});

export const PeerStateEventSchema = v.strictObject({
  type: v.literal('peer'),
  room,
  peerId,
  name: v.string(),
  fingerprint: v.string(),
  /** `gone`: dropped from the peer list (left long ago or evicted). */
  state: v.picklist(['connecting', 'online', 'offline', 'gone']),
});

/** The signal server connection changed (the mesh keeps working without it). */
export const SignalingEventSchema = v.strictObject({
  type: v.literal('signaling'),
  room,
  status: v.picklist(['connecting', 'connected', 'reconnecting', 'closed']),
  url: v.string(),
});

/** Our own message went out (signed, delivered locally, flooded) and is stored. */
export const SentEventSchema = v.strictObject({ type: v.literal('sent'), room, id: v.string() });

/** A manual invite code (`/invite`): give it to a peer's "Connect manually", paste its answer back. */
export const InviteEventSchema = v.strictObject({ type: v.literal('invite'), room, code: v.string() });

export const ErrorEventSchema = v.strictObject({
  type: v.literal('error'),
  code: v.string(),
  message: v.string(),
  room: v.optional(room),
});

export const PeerEventSchema = v.variant('type', [
  ReadyEventSchema,
  MessageEventSchema,
  PeerStateEventSchema,
  SignalingEventSchema,
  SentEventSchema,
  InviteEventSchema,
  ErrorEventSchema,
]);
export type PeerEvent = v.InferOutput<typeof PeerEventSchema>;
export type MessageEvent = v.InferOutput<typeof MessageEventSchema>;

/** Runtime error codes beside the CLI's own (which exit before anything runs). */
export type RuntimeErrorCode = CliErrorCode | 'SEND_FAILED' | 'BLIND_READ_ONLY' | 'BAD_COMMAND' | 'MESH' | 'INVITE_FAILED';

const PEER_EVENT_SCHEMAS = schemasByType(PeerEventSchema);

/** Parses one line of `--json` output (consumers and tests): a PeerEvent or an error with a code. */
export function parsePeerEventLine(line: string): Result<PeerEvent> {
  return parseJsonFrame(line, PEER_EVENT_SCHEMAS);
}
