/**
 * The small WebCrypto / encoding subset Shoal uses, typed here because `shared/` compiles without DOM
 * or Node type libraries. Browsers and Node 20 both provide these as globals; we read them off
 * `globalThis` instead of declaring globals so that a DOM-typed workspace importing this file sees no
 * conflicting declarations.
 */

/** Opaque handle to a WebCrypto key (CryptoKey); structured-cloneable, so it can live in IndexedDB. */
export interface CryptoKeyHandle {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string };
}

export interface CryptoKeyPairHandle {
  readonly publicKey: CryptoKeyHandle;
  readonly privateKey: CryptoKeyHandle;
}

type Algorithm = { name: string; [param: string]: unknown };
type Bytes = Uint8Array | ArrayBuffer;

export interface SubtleCryptoSubset {
  generateKey(algorithm: Algorithm, extractable: boolean, usages: string[]): Promise<CryptoKeyPairHandle | CryptoKeyHandle>;
  importKey(format: 'raw' | 'spki', data: Bytes, algorithm: Algorithm, extractable: boolean, usages: string[]): Promise<CryptoKeyHandle>;
  exportKey(format: 'raw', key: CryptoKeyHandle): Promise<ArrayBuffer>;
  sign(algorithm: Algorithm, key: CryptoKeyHandle, data: Bytes): Promise<ArrayBuffer>;
  verify(algorithm: Algorithm, key: CryptoKeyHandle, signature: Bytes, data: Bytes): Promise<boolean>;
  digest(algorithm: string, data: Bytes): Promise<ArrayBuffer>;
  deriveBits(algorithm: Algorithm, baseKey: CryptoKeyHandle, length: number): Promise<ArrayBuffer>;
  encrypt(algorithm: Algorithm, key: CryptoKeyHandle, data: Bytes): Promise<ArrayBuffer>;
  decrypt(algorithm: Algorithm, key: CryptoKeyHandle, data: Bytes): Promise<ArrayBuffer>;
}

interface PlatformEncoder {
  encode(text: string): Uint8Array;
  encodeInto(text: string, into: Uint8Array): { read: number; written: number };
}

interface Platform {
  crypto?: { subtle?: SubtleCryptoSubset; getRandomValues?(array: Uint8Array): Uint8Array };
  TextEncoder?: new () => PlatformEncoder;
  TextDecoder?: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
}

function platform(): Platform {
  return globalThis as unknown as Platform;
}

/** WebCrypto's SubtleCrypto; throws when the runtime has none (insecure browser context, old Node). */
export function subtle(): SubtleCryptoSubset {
  const s = platform().crypto?.subtle;
  if (!s) throw new Error('WebCrypto is unavailable (a secure context or Node >= 20 is required)');
  return s;
}

/** Cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array {
  const c = platform().crypto;
  if (!c?.getRandomValues) throw new Error('crypto.getRandomValues is unavailable');
  return c.getRandomValues(new Uint8Array(length));
}

export function utf8Encode(text: string): Uint8Array {
  const Encoder = platform().TextEncoder;
  if (!Encoder) throw new Error('TextEncoder is unavailable');
  return new Encoder().encode(text);
}

/** Strict UTF-8 decoding: null for invalid bytes instead of replacement characters. */
export function utf8Decode(bytes: Uint8Array): string | null {
  const Decoder = platform().TextDecoder;
  if (!Decoder) throw new Error('TextDecoder is unavailable');
  try {
    return new Decoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** What utf8Length encodes into, a slice of the text at a time (a UTF-16 unit is at most 3 bytes). */
const LENGTH_SCRATCH_UNITS = 16_384;
let lengthScratch: { encoder: PlatformEncoder; bytes: Uint8Array } | null = null;

/**
 * UTF-8 length of a string, measured by the platform's encoder into a fixed scratch buffer (frames are
 * measured on every send and receive: a JavaScript loop over the units took 88 us for a 13 KB topology
 * frame, a fifth of a 500-peer simulation's CPU; encodeInto takes 3).
 */
export function utf8Length(text: string): number {
  if (!lengthScratch) {
    const Encoder = platform().TextEncoder;
    if (!Encoder) throw new Error('TextEncoder is unavailable');
    lengthScratch = { encoder: new Encoder(), bytes: new Uint8Array(3 * LENGTH_SCRATCH_UNITS) };
  }
  const { encoder, bytes } = lengthScratch;
  let length = 0;
  for (let rest = text; ;) {
    const { read, written } = encoder.encodeInto(rest, bytes);
    length += written;
    if (read >= rest.length) return length;
    rest = rest.slice(read);
  }
}
