import type { CryptoKeyPairHandle } from '@shoal/shared';
import * as v from 'valibot';

/** Why a stored identity row cannot be used. */
export type IdentityRowProblem =
  /** Not an object holding `publicKey` and `privateKey`. */
  | 'NOT_A_KEY_PAIR'
  /** A key is not a WebCrypto CryptoKey (e.g. a plain object written by a script or an old version). */
  | 'NOT_A_CRYPTO_KEY'
  /** Wrong key type, usages or algorithm (only Ed25519 and ECDSA P-256 identities exist). */
  | 'WRONG_KEY'
  /** Both keys parse, but they do not sign and verify together (found by loadOrCreateIdentity). */
  | 'UNUSABLE';

export type IdentityRowResult = { ok: true; value: CryptoKeyPairHandle } | { ok: false; code: IdentityRowProblem };

const Algorithm = v.variant('name', [
  v.object({ name: v.literal('Ed25519') }),
  v.object({ name: v.literal('ECDSA'), namedCurve: v.literal('P-256') }),
]);
/** A key as this app generates it (generateIdentityKeyPair); other fields of CryptoKey are not relied on. */
const keySchema = (type: 'public' | 'private', usage: 'verify' | 'sign') =>
  v.object({ type: v.literal(type), algorithm: Algorithm, usages: v.pipe(v.array(v.string()), v.includes(usage)) });
const PublicKey = keySchema('public', 'verify');
const PrivateKey = keySchema('private', 'sign');

/**
 * A CryptoKey, not an object shaped like one: structured clone keeps the class, and WebCrypto throws on
 * anything else ("Cannot read properties of undefined" was a look-alike row reaching createIdentity).
 * Where the runtime exposes no CryptoKey class the shape check alone decides.
 */
function isCryptoKey(value: unknown): boolean {
  const CryptoKeyClass = (globalThis as { CryptoKey?: abstract new () => unknown }).CryptoKey;
  return CryptoKeyClass === undefined ? typeof value === 'object' && value !== null : value instanceof CryptoKeyClass;
}

/**
 * Parses the identity row read back from IndexedDB. The store is writable by any script of this origin,
 * by older versions and by whoever has the disk: a row is a claim until it parses. Call only for a row
 * that exists (undefined means "no identity yet", not a problem).
 */
export function parseIdentityRow(row: unknown): IdentityRowResult {
  if (typeof row !== 'object' || row === null || !('publicKey' in row) || !('privateKey' in row)) return { ok: false, code: 'NOT_A_KEY_PAIR' };
  const { publicKey, privateKey } = row;
  if (!isCryptoKey(publicKey) || !isCryptoKey(privateKey)) return { ok: false, code: 'NOT_A_CRYPTO_KEY' };
  const pub = v.safeParse(PublicKey, publicKey);
  const priv = v.safeParse(PrivateKey, privateKey);
  if (!pub.success || !priv.success || pub.output.algorithm.name !== priv.output.algorithm.name) return { ok: false, code: 'WRONG_KEY' };
  // The parsed outputs are copies: the pair handed on must be the original CryptoKeys.
  return { ok: true, value: { publicKey: publicKey as CryptoKeyPairHandle['publicKey'], privateKey: privateKey as CryptoKeyPairHandle['privateKey'] } };
}
