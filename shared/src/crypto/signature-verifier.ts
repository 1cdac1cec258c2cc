import type { SignatureVerifier } from '../mesh/mesh-api';
import { fromBase64url, toBase64url } from './base64url';
import { fingerprintOf } from './fingerprint';
import { type CryptoKeyHandle, subtle } from './web-crypto';
import { remember } from '../mesh/bounded-maps';

export interface SignatureVerifierOptions {
  /**
   * Imported public keys kept (least recently used evicted). Default 1024: a room's active authors,
   * while a peer announcing endless fresh keys cannot grow memory.
   */
  maxCachedKeys?: number;
}

interface CachedKey {
  key: Promise<CryptoKeyHandle | null>;
  fingerprint: Promise<string>;
  params: { name: string; hash?: string };
}

const ED25519_RAW_BYTES = 32;
const P256_RAW_BYTES = 65;

/** Creates a verifier for raw base64url public keys (Ed25519 or P-256, told apart by length). */
export function createSignatureVerifier(options: SignatureVerifierOptions = {}): SignatureVerifier {
  const maxCachedKeys = options.maxCachedKeys ?? 1024;
  const cache = new Map<string, CachedKey | null>();

  function importKey(publicKey: string): CachedKey | null {
    const hit = cache.get(publicKey);
    const entry = hit !== undefined ? hit : load(publicKey);
    remember(cache, publicKey, entry, maxCachedKeys);
    return entry;
  }

  return {
    async verify(publicKey, signature, data) {
      const entry = importKey(publicKey);
      const sig = fromBase64url(signature);
      if (!entry || !sig) return false;
      const key = await entry.key;
      if (!key) return false;
      try {
        return await subtle().verify(entry.params, key, sig, data);
      } catch {
        return false;
      }
    },
    async digest(data) {
      return toBase64url(new Uint8Array(await subtle().digest('SHA-256', data)));
    },
    async fingerprint(publicKey) {
      const entry = importKey(publicKey);
      if (!entry) throw new Error('not a public key');
      return entry.fingerprint;
    },
  };
}

function load(publicKey: string): CachedKey | null {
  const raw = fromBase64url(publicKey);
  if (!raw) return null;
  let algorithm: { name: string; namedCurve?: string };
  let params: { name: string; hash?: string };
  if (raw.length === ED25519_RAW_BYTES) {
    algorithm = { name: 'Ed25519' };
    params = { name: 'Ed25519' };
  } else if (raw.length === P256_RAW_BYTES && raw[0] === 0x04) {
    algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    params = { name: 'ECDSA', hash: 'SHA-256' };
  } else {
    return null;
  }
  // An invalid point (or Ed25519 unsupported here) makes import fail: such a key never verifies.
  const key = subtle()
    .importKey('raw', raw, algorithm, true, ['verify'])
    .catch(() => null);
  return { key, params, fingerprint: fingerprintOf(raw) };
}
