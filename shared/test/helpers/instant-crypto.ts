import { type Identity, type SignatureVerifier, fromBase64url, toBase64url } from '../../src/index';

/**
 * Stand-ins for WebCrypto in large simulations. WebCrypto signs and verifies on a thread pool, in real
 * time, while simulations run on a fake clock: on a loaded machine the pool's pauses look like quiet, the
 * clock moves on, and pongs time out that were merely late. These settle within microtasks, so a
 * simulation is the same run every time. The "signature" is a 64-bit FNV-1a digest over the public key
 * and the signed bytes: a forged or altered message still fails verification, which is all the topology
 * tests need. Real signatures are covered by the crypto and malicious-peer tests.
 */
const FNV_OFFSET_HIGH = 0xcbf29ce4;
const FNV_OFFSET_LOW = 0x84222325;
/** The 64-bit FNV prime is 2^40 + 0x1b3. */
const FNV_PRIME_LOW = 0x1b3;
const TWO_32 = 2 ** 32;

/**
 * 64-bit FNV-1a in two 32-bit halves: a simulation of a thousand peers hashes every frame it signs,
 * verifies and ids, and BigInt arithmetic was a tenth of its run.
 */
function digest(publicKey: string, data: Uint8Array): string {
  let high = FNV_OFFSET_HIGH;
  let low = FNV_OFFSET_LOW;
  const mix = (byte: number): void => {
    low = (low ^ byte) >>> 0;
    const lowProduct = low * FNV_PRIME_LOW; // < 2^41: exact
    high = (Math.imul(high, FNV_PRIME_LOW) + Math.floor(lowProduct / TWO_32) + (low << 8)) >>> 0;
    low = lowProduct % TWO_32;
  };
  for (let i = 0; i < publicKey.length; i++) mix(publicKey.charCodeAt(i) & 0xff);
  mix(0);
  for (const byte of data) mix(byte);
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, high);
  view.setUint32(4, low);
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
