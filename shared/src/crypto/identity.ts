import type { Identity } from '../mesh/mesh-api';
import { toBase64url } from './base64url';
import { fingerprintOf } from './fingerprint';
import { type CryptoKeyPairHandle, subtle } from './web-crypto';

/**
 * Long-term identity keys. Ed25519 where the runtime supports it (Node 20, Chromium ≥ 113 with the
 * flag-free rollout, Firefox, Safari 17), else ECDSA P-256 which every WebCrypto has. The public key
 * travels raw (32 bytes Ed25519, 65 bytes uncompressed P-256), so its length tells verifiers which
 * algorithm to use without an extra field.
 */
export type IdentityAlgorithm = 'Ed25519' | 'ECDSA-P256';

const ED25519 = { name: 'Ed25519' };
const ECDSA_KEY = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' };

export interface GenerateIdentityOptions {
  /** Force one algorithm (tests exercise both). Default: Ed25519, falling back to ECDSA P-256. */
  algorithm?: IdentityAlgorithm;
}

function isKeyPair(value: unknown): value is CryptoKeyPairHandle {
  return typeof value === 'object' && value !== null && 'privateKey' in value && 'publicKey' in value;
}

/**
 * Generates a key pair whose private key is NOT extractable: script (or an XSS) can use it to sign
 * but can never read it out. The pair is structured-cloneable; the app keeps it in IndexedDB.
 */
export async function generateIdentityKeyPair(options: GenerateIdentityOptions = {}): Promise<CryptoKeyPairHandle> {
  const usages = ['sign', 'verify'];
  if (options.algorithm !== 'ECDSA-P256') {
    try {
      const pair = await subtle().generateKey(ED25519, false, usages);
      if (isKeyPair(pair)) return pair;
    } catch (error) {
      if (options.algorithm === 'Ed25519') throw error;
    }
  }
  const pair = await subtle().generateKey(ECDSA_KEY, false, usages);
  if (!isKeyPair(pair)) throw new Error('generateKey did not return a key pair');
  return pair;
}

/** The algorithm of a stored key pair. */
export function identityAlgorithm(pair: CryptoKeyPairHandle): IdentityAlgorithm {
  return pair.privateKey.algorithm.name === 'Ed25519' ? 'Ed25519' : 'ECDSA-P256';
}

/** Wraps a key pair (fresh or read back from storage) as the mesh's Identity. */
export async function createIdentity(pair: CryptoKeyPairHandle): Promise<Identity> {
  const signParams = identityAlgorithm(pair) === 'Ed25519' ? ED25519 : ECDSA_SIGN;
  const raw = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  const publicKey = toBase64url(raw);
  const fingerprint = await fingerprintOf(raw);
  return {
    publicKey,
    fingerprint,
    async sign(data: Uint8Array): Promise<string> {
      return toBase64url(new Uint8Array(await subtle().sign(signParams, pair.privateKey, data)));
    },
  };
}
