import { type Identity, type SignatureVerifier, fromBase64url, toBase64url } from '../../src/index';

/**
 * Stand-ins for WebCrypto in large simulations. WebCrypto signs and verifies on a thread pool, in real
 * time, while simulations run on a fake clock: on a loaded machine the pool's pauses look like quiet, the
 * clock moves on, and pongs time out that were merely late. These settle within microtasks, so a
 * simulation is the same run every time. The "signature" is a 64-bit FNV-1a digest over the public key
 * and the signed bytes: a forged or altered message still fails verification, which is all the topology
 * tests need. Real signatures are covered by the crypto and malicious-peer tests.
 */
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

function digest(publicKey: string, data: Uint8Array): string {
  let hash = FNV_OFFSET;
  const mix = (byte: number): void => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  };
  for (let i = 0; i < publicKey.length; i++) mix(publicKey.charCodeAt(i) & 0xff);
  mix(0);
  for (const byte of data) mix(byte);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, hash);
  return toBase64url(bytes);
}

/** An identity whose public key is 32 bytes derived from `n`: distinct per simulated peer. */
export function createInstantIdentity(n: number): Identity {
  const raw = new Uint8Array(32);
  new DataView(raw.buffer).setUint32(0, n + 1);
  const publicKey = toBase64url(raw);
  return {
    publicKey,
    fingerprint: instantFingerprint(publicKey),
    sign: (data) => Promise.resolve(digest(publicKey, data)),
  };
}

function instantFingerprint(publicKey: string): string {
  return digest(publicKey, new Uint8Array()).slice(0, 8);
}

export function createInstantVerifier(): SignatureVerifier {
  return {
    verify: (publicKey, signature, data) => Promise.resolve(signature === digest(publicKey, data)),
    fingerprint: (publicKey) => Promise.resolve(instantFingerprint(publicKey)),
    digest: (data) => Promise.resolve(instantDigest(data)),
  };
}

/** A 32-byte stand-in for SHA-256 (four FNV-1a lanes): event ids and stream ids keep their real shape. */
export function instantDigest(data: Uint8Array): string {
  const lanes = ['a', 'b', 'c', 'd'].map((lane) => digest(lane, data));
  const bytes = new Uint8Array(32);
  lanes.forEach((lane, i) => bytes.set(fromBase64url(lane) ?? new Uint8Array(8), i * 8));
  return toBase64url(bytes);
}
