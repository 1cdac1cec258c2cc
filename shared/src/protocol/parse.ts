import * as v from 'valibot';
import { type Result, fail, ok } from '../errors';
import { type ClientMessage, ClientMessageSchema, type ServerMessage, ServerMessageSchema } from './signal-messages';

/**
 * Turns one untrusted text frame into a typed message, or an error value with a stable code:
 * BAD_JSON (not JSON), BAD_SHAPE (not an object with a string `type`, or fields of the wrong type),
 * UNKNOWN_TYPE (a `type` this side does not know). Never throws.
 */
export function parseJsonFrame<T>(
  text: string,
  schema: v.GenericSchema<unknown, T>,
  knownTypes: readonly string[],
): Result<T> {
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
  if (!knownTypes.includes(type)) return fail('UNKNOWN_TYPE', `unknown message type "${type.slice(0, 32)}"`);
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success) return fail('BAD_SHAPE', describeIssue(parsed.issues[0]));
  return ok(parsed.output);
}

function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (!issue) return 'invalid message';
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  return (path ? `${path}: ` : '') + issue.message.slice(0, 200);
}

/** Parses a client->server signaling frame (server side). */
export function parseClientMessage(text: string): Result<ClientMessage> {
  return parseJsonFrame(text, ClientMessageSchema, ['join', 'signal', 'leave']);
}

/** Parses a server->client signaling frame (browser side). */
export function parseServerMessage(text: string): Result<ServerMessage> {
  return parseJsonFrame(text, ServerMessageSchema, ['welcome', 'peer-joined', 'peer-left', 'signal', 'error']);
}
