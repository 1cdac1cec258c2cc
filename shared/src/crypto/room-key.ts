import { MAX_TEXT_CHARS } from '../protocol/limits';
import type { RoomProof } from '../mesh/room-proof';
import { fromBase64url, toBase64url } from './base64url';
import { createRoomKeyProof } from './room-key-proof';
import { deriveKeeperCapability, encodeKeeperToken } from './keeper-token';
import { randomBytes, subtle, utf8Decode, utf8Encode } from './web-crypto';

/**
 * Private rooms: a passphrase + room name derive (PBKDF2-HMAC-SHA256) 512 bits. The first half is an
 * AES-256-GCM key for message bodies; the second half, hashed, is the room id the signal server sees.
 * The server thus learns neither the typed room name nor anything that helps guess the key (the id
 * comes from independent output bits), and peers without the passphrase see only ciphertext.
 */

/**
 * PBKDF2 iterations: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. About 0.3–0.6 s once per
 * room join on a laptop: the price of making each passphrase guess that expensive for an attacker.
 */
export const ROOM_KEY_PBKDF2_ITERATIONS = 600_000;

const ENVELOPE_PREFIX = 'v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type RoomKeyErrorCode = 'WRONG_PASSPHRASE' | 'BAD_ENVELOPE' | 'TEXT_TOO_LONG';

export type DecryptResult = { ok: true; text: string } | { ok: false; code: RoomKeyErrorCode };

export class RoomKeyError extends Error {
  constructor(
    readonly code: RoomKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RoomKeyError';
  }
}

export interface RoomKey {
  /**
   * 64 lowercase hex digits (fits ROOM_NAME_PATTERN), from the passphrase: the room of signed messages
   * and of the handshake. Depends on the passphrase, so peers with different passphrases never share it.
   */
  readonly roomId: string;
  /**
   * 64 hex digits from the room name alone (slow hash, no passphrase): the room the signal server sees.
   * Everyone who typed the room name meets there, so a peer with another passphrase is met, fails the
   * room-key proof, and a wrong passphrase is reported instead of an empty room.
   */
  readonly rendezvousId: string;
  /** Encrypts a text into an envelope string (`v1.<base64url iv|ciphertext|tag>`) for ChatMessage.body. */
  encrypt(text: string): Promise<string>;
  /** Never returns garbage: a body that does not authenticate under this key is WRONG_PASSPHRASE. */
  decrypt(envelope: string): Promise<DecryptResult>;
  /** Proves knowledge of this key in the link handshake (an HKDF-derived MAC key; never the key). */
  readonly proof: RoomProof;
  /**
   * The room's keeper token (see keeper-token.ts): lets a keeper join, verify, store and serve this
   * room's ciphertext without being able to read it. Same token for every member of the room.
   */
  keeperToken(): Promise<string>;
}

export interface RoomKeyOptions {
  /** Default ROOM_KEY_PBKDF2_ITERATIONS. Lower only in tests; every member of a room must agree. */
  iterations?: number;
}

export async function deriveRoomKey(roomName: string, passphrase: string, options: RoomKeyOptions = {}): Promise<RoomKey> {
  const iterations = options.iterations ?? ROOM_KEY_PBKDF2_ITERATIONS;
  const base = await subtle().importKey('raw', utf8Encode(passphrase), { name: 'PBKDF2' }, false, ['deriveBits']);
  // The room name salts the derivation: one passphrase used for two rooms yields unrelated keys.
  const salt = utf8Encode(JSON.stringify(['shoal/private-room/v1', roomName]));
  const [bits, rendezvousId] = await Promise.all([
    subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 512).then((b) => new Uint8Array(b)),
    deriveRendezvousId(roomName, iterations),
  ]);
  const key = await subtle().importKey('raw', bits.slice(0, 32), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  const idDigest = new Uint8Array(await subtle().digest('SHA-256', bits.slice(32)));
  const roomId = toHex(idDigest);
  // Binding ciphertexts to the room id keeps an envelope from being valid in any other room.
  const additionalData = utf8Encode(roomId);
  // Members and keepers prove the room alike: the MAC key comes from the keeper capability, which every
  // member derives from the key and a keeper holds in its token (it cannot derive the key back).
  const capability = await deriveKeeperCapability(bits, roomId);
  const capabilityBytes = fromBase64url(capability);
  if (!capabilityBytes) throw new Error('the keeper capability is not base64url');
  const proof = await createRoomKeyProof(capabilityBytes, roomId);
  const gcm = (iv: Uint8Array) => ({ name: 'AES-GCM', iv, additionalData });

  return {
    roomId,
    rendezvousId,
    proof,
    async encrypt(text) {
      if (text.length > MAX_TEXT_CHARS) throw new RoomKeyError('TEXT_TOO_LONG', `text exceeds ${MAX_TEXT_CHARS} characters`);
      const iv = randomBytes(IV_BYTES);
      const sealed = new Uint8Array(await subtle().encrypt(gcm(iv), key, utf8Encode(text)));
      const out = new Uint8Array(IV_BYTES + sealed.length);
      out.set(iv);
      out.set(sealed, IV_BYTES);
      return ENVELOPE_PREFIX + toBase64url(out);
    },
    async decrypt(envelope) {
      const bytes = envelope.startsWith(ENVELOPE_PREFIX) ? fromBase64url(envelope.slice(ENVELOPE_PREFIX.length)) : null;
      if (!bytes || bytes.length < IV_BYTES + TAG_BYTES) return { ok: false, code: 'BAD_ENVELOPE' };
      let plain: ArrayBuffer;
      try {
        plain = await subtle().decrypt(gcm(bytes.slice(0, IV_BYTES)), key, bytes.slice(IV_BYTES));
      } catch {
        // GCM authenticates: failure means another key (signatures already rule out tampering in transit).
        return { ok: false, code: 'WRONG_PASSPHRASE' };
      }
      const text = utf8Decode(new Uint8Array(plain));
      return text === null ? { ok: false, code: 'BAD_ENVELOPE' } : { ok: true, text };
    },
    async keeperToken() {
      return encodeKeeperToken({ room: roomId, rendezvous: rendezvousId, cap: capability });
    },
  };
}

/**
 * The signal-server room of a private room: PBKDF2 of the room name (no passphrase) at the same cost, so
 * the server operator can only test room-name guesses at that cost per guess, and learns nothing about
 * the passphrase. Runs in parallel with the key derivation.
 */
async function deriveRendezvousId(roomName: string, iterations: number): Promise<string> {
  const base = await subtle().importKey('raw', utf8Encode(roomName), { name: 'PBKDF2' }, false, ['deriveBits']);
  const salt = utf8Encode('shoal/private-rendezvous/v1');
  return toHex(new Uint8Array(await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256)));
}

const toHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** True when a body looks like an envelope (so the UI can tell ciphertext from a plain message). */
export function isEnvelope(body: string): boolean {
  return body.startsWith(ENVELOPE_PREFIX) && /^[A-Za-z0-9_-]+$/.test(body.slice(ENVELOPE_PREFIX.length));
}
