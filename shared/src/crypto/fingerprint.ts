import { subtle } from './web-crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Bytes of the SHA-256 digest shown: 80 bits, 16 base32 characters, far beyond what anyone forges. */
const FINGERPRINT_BYTES = 10;

/**
 * Human-comparable fingerprint of a raw public key: SHA-256, first 80 bits, base32 (no look-alike
 * digits 0/1/8/9), grouped by four: `k3xq-7dma-p2ve-lw5r`. Stable for a key, so stable across reloads.
 */
export async function fingerprintOf(rawPublicKey: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', rawPublicKey)).subarray(0, FINGERPRINT_BYTES);
  let bits = 0;
  let value = 0;
  let chars = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      chars += BASE32[(value >> bits) & 31];
    }
  }
  return chars.match(/.{1,4}/g)?.join('-') ?? chars;
}
