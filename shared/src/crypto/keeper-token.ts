import * as v from 'valibot';
import { type Result, fail, ok } from '../errors';
import { RoomNameSchema } from '../protocol/signal-messages';
import { fromBase64url, toBase64url } from './base64url';
import { subtle, utf8Decode, utf8Encode } from './web-crypto';

/**
 * Keeper tokens: what a private room's member hands to an always-on keeper (`shoal-peer --keeper-token`).
 *
 *   token = "shoalk1." + base64url(JSON {"v":1,"room":<room id>,"rendezvous":<signal room>,"cap":<capability>})
 *   cap   = base64url(HKDF-SHA256(ikm = the room's 64 PBKDF2 output bytes,
 *                                 salt = UTF-8 of the room id, info = "shoal/keeper-capability/v1", 256 bits))
 *
 * The room id is what the mesh sees (events are signed under it) and the rendezvous id what the signal
 * server sees (derived from the room name alone): the token adds nothing either does not already know. The capability is a one-way function of the key material: it lets the keeper prove it
 * was invited (a handshake can ask for an HMAC under `cap` of both nonces, which every member can compute
 * too, and the room-key proof of the handshake is exactly that) while HKDF's one-wayness keeps the AES key, and so every plaintext, out of its reach. Signatures
 * need no key at all: events sign the body's hash, so the keeper verifies what it stores.
 */
export const KEEPER_TOKEN_PREFIX = 'shoalk1.';
/** HKDF `info` of the keeper capability; a new meaning gets a new label, never a reused one. */
export const KEEPER_CAPABILITY_INFO = 'shoal/keeper-capability/v1';
/** Longest token accepted from a command line or a paste; a real one is about 150 characters. */
export const MAX_KEEPER_TOKEN_CHARS = 1024;

const KeeperTokenSchema = v.strictObject({
  v: v.literal(1),
  /** A private room's derived id: 64 lowercase hex digits. */
  room: v.pipe(RoomNameSchema, v.regex(/^[0-9a-f]{64}$/)),
  /** Where the room's members meet at the signal server: 64 lowercase hex digits. */
  rendezvous: v.pipe(RoomNameSchema, v.regex(/^[0-9a-f]{64}$/)),
  /** 32 bytes, base64url: 43 characters. */
  cap: v.pipe(v.string(), v.length(43), v.regex(/^[A-Za-z0-9_-]+$/)),
});
export type KeeperToken = v.InferOutput<typeof KeeperTokenSchema>;

/** The keeper capability of a room from its PBKDF2 output bits (see the module comment). */
export async function deriveKeeperCapability(roomKeyBits: Uint8Array, roomId: string): Promise<string> {
  const base = await subtle().importKey('raw', roomKeyBits, { name: 'HKDF' }, false, ['deriveBits']);
  const cap = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8Encode(roomId), info: utf8Encode(KEEPER_CAPABILITY_INFO) },
    base,
    256,
  );
  return toBase64url(new Uint8Array(cap));
}

export function encodeKeeperToken(token: { room: string; rendezvous: string; cap: string }): string {
  return KEEPER_TOKEN_PREFIX + toBase64url(utf8Encode(JSON.stringify({ v: 1, room: token.room, rendezvous: token.rendezvous, cap: token.cap })));
}

/** The token's room and capability; BAD_SHAPE for anything else (typos, truncation, another version). */
export function decodeKeeperToken(text: string): Result<KeeperToken> {
  const trimmed = text.trim();
  if (!trimmed.startsWith(KEEPER_TOKEN_PREFIX) || trimmed.length > MAX_KEEPER_TOKEN_CHARS) {
    return fail('BAD_SHAPE', `a keeper token starts with "${KEEPER_TOKEN_PREFIX}" and is at most ${MAX_KEEPER_TOKEN_CHARS} characters`);
  }
  const bytes = fromBase64url(trimmed.slice(KEEPER_TOKEN_PREFIX.length));
  const json = bytes ? utf8Decode(bytes) : null;
  let value: unknown;
  try {
    value = json === null ? null : JSON.parse(json);
  } catch {
    value = null;
  }
  const parsed = v.safeParse(KeeperTokenSchema, value);
  return parsed.success ? ok(parsed.output) : fail('BAD_SHAPE', 'the keeper token is damaged or of another version');
}
