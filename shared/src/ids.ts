import * as v from 'valibot';

/**
 * Identifiers are branded strings: a PeerId can't be passed where a RoomName is expected, and the only
 * way to get one is through a schema (or the explicit constructors below, for values we generate).
 */
/** Lowercase UUIDs: peer ids and v1 message ids. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A per-session peer id: a lowercase UUID chosen by the client. */
export const PeerIdSchema = v.pipe(v.string(), v.regex(UUID_PATTERN, 'peer id must be a lowercase UUID'), v.brand('PeerId'));
export type PeerId = v.InferOutput<typeof PeerIdSchema>;

/** Parses an arbitrary value as a PeerId; null when it is not one. */
export function toPeerId(value: unknown): PeerId | null {
  const result = v.safeParse(PeerIdSchema, value);
  return result.success ? result.output : null;
}
