import { fromBase64url, toBase64url } from '../crypto/base64url';
import { randomBytes, subtle } from '../crypto/web-crypto';

/**
 * Hashing and encryption of chunks.
 *
 * Private rooms encrypt each chunk with AES-256-GCM under the FILE's own random key, carried in the
 * encrypted manifest (FileContent.key). A random per-file key rather than one derived from the room key:
 * the file id (the event id) is only known after the chunks are encrypted, and a key derived from
 * anything the author picks beforehand buys nothing over a random one, while a random key keeps the room
 * key out of bulk encryption. Because the key encrypts one file once, the IV can be the chunk index:
 * each (key, IV) pair is used exactly once, and a chunk moved to another index fails authentication.
 */

export const AES_GCM_TAG_BYTES = 16;

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

/** The root over chunk digests: SHA-256 of their concatenation, base64url (a file event's `target`). */
export async function rootOf(digests: readonly Uint8Array[]): Promise<string> {
  const all = new Uint8Array(digests.length * 32);
  digests.forEach((digest, i) => all.set(digest, i * 32));
  return toBase64url(await sha256(all));
}

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);

export interface ChunkCipher {
  seal(index: number, plain: Uint8Array): Promise<Uint8Array>;
  /** The plaintext, or null when the chunk does not authenticate under this key at this index. */
  open(index: number, sealed: Uint8Array): Promise<Uint8Array | null>;
}

/** A fresh file key, base64url (FileContent.key). */
export const newFileKey = (): string => toBase64url(randomBytes(32));

const ivOf = (index: number): Uint8Array => {
  const iv = new Uint8Array(12);
  new DataView(iv.buffer).setUint32(8, index);
  return iv;
};

/** The cipher of one file key; null when the key is not 32 bytes of base64url. */
export async function chunkCipherOf(fileKey: string): Promise<ChunkCipher | null> {
  const raw = fromBase64url(fileKey);
  if (!raw || raw.length !== 32) return null;
  const key = await subtle().importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  return {
    seal: async (index, plain) => new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv: ivOf(index) }, key, plain)),
    async open(index, sealed) {
      try {
        return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: ivOf(index) }, key, sealed));
      } catch {
        return null;
      }
    },
  };
}
