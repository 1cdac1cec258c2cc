import * as v from 'valibot';
import { type Result, fail, ok } from '../errors';
import { type ClientMessage, ClientMessageSchema, type ServerMessage, ServerMessageSchema } from './signal-messages';

/** The schema of each frame type, by the literal its `type` must be. */
export type FrameSchemas<T> = ReadonlyMap<string, v.GenericSchema<unknown, T>>;

/**
 * A `type` variant's options by their `type` literal, so that a frame runs its own schema only: valibot's
 * variant tries the options' discriminators in turn, a dozen or more schema runs per frame for the types
 * late in a long list (the peer protocol has 26). Throws at load on an option without a string literal.
 */
export function schemasByType<TOptions extends v.VariantOptions<'type'>>(
  variant: v.VariantSchema<'type', TOptions, undefined>,
): FrameSchemas<v.InferOutput<typeof variant>> {
  const byType = new Map<string, v.GenericSchema<unknown, v.InferOutput<typeof variant>>>();
  for (const option of variant.options) {
    const literal = 'entries' in option ? (option.entries.type as { literal?: unknown }).literal : undefined;
    if (typeof literal !== 'string' || byType.has(literal)) throw new Error('each option needs its own string literal `type`');
    // An option's output is one member of the variant's output union.
    byType.set(literal, option as unknown as v.GenericSchema<unknown, v.InferOutput<typeof variant>>);
  }
  return byType;
}

/**
 * Turns one untrusted text frame into a typed message, or an error value with a stable code:
 * BAD_JSON (not JSON), BAD_SHAPE (not an object with a string `type`, or fields of the wrong type),
 * UNKNOWN_TYPE (a `type` this side does not know). Never throws.
 */
export function parseJsonFrame<T>(text: string, schemas: FrameSchemas<T>): Result<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return fail('BAD_JSON', 'frame is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail('BAD_SHAPE', 'frame must be a JSON object');
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string') return fail('BAD_SHAPE', 'frame needs a string "type"');
  const schema = schemas.get(type);
  if (!schema) return fail('UNKNOWN_TYPE', `unknown message type "${type.slice(0, 32)}"`);
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success) return fail('BAD_SHAPE', describeIssue(parsed.issues[0]));
  return ok(parsed.output);
}

function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (!issue) return 'invalid message';
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  return (path ? `${path}: ` : '') + issue.message.slice(0, 200);
}

const CLIENT_SCHEMAS = schemasByType(ClientMessageSchema);
const SERVER_SCHEMAS = schemasByType(ServerMessageSchema);

/** Parses a client->server signaling frame (server side). */
export function parseClientMessage(text: string): Result<ClientMessage> {
  return parseJsonFrame(text, CLIENT_SCHEMAS);
}

/** Parses a server->client signaling frame (browser side). */
export function parseServerMessage(text: string): Result<ServerMessage> {
  return parseJsonFrame(text, SERVER_SCHEMAS);
}
