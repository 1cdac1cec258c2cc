import { fromBase64url, toBase64url } from '../crypto/base64url';
import { MAX_FILE_CHUNKS, MAX_HASHES_PER_FRAME, MAX_STORED_CHUNK_BYTES } from '../protocol/limits';

/**
 * Binary file frames (PeerLink.sendBytes): `kind` (1 byte) | file id (32 bytes: the `file` event's id,
 * a SHA-256) | index (uint32, big-endian) | payload. A chunk frame's payload is one chunk as stored; a
 * hash frame's payload is 32-byte chunk digests starting at `index`. Parsing checks every bound and
 * returns null for anything else, never throwing on peer bytes.
 */
export const FILE_FRAME_HEADER_BYTES = 1 + 32 + 4;
export const DIGEST_BYTES = 32;
const CHUNK_KIND = 1;
const HASHES_KIND = 2;

export type FileBytesFrame =
  | { kind: 'chunk'; fileId: string; index: number; bytes: Uint8Array }
  | { kind: 'hashes'; fileId: string; from: number; digests: Uint8Array[] };

function encode(kind: number, fileId: string, index: number, payload: Uint8Array): Uint8Array | null {
  const id = fromBase64url(fileId);
  if (!id || id.length !== 32) return null;
  const out = new Uint8Array(FILE_FRAME_HEADER_BYTES + payload.length);
  out[0] = kind;
  out.set(id, 1);
  new DataView(out.buffer).setUint32(33, index);
  out.set(payload, FILE_FRAME_HEADER_BYTES);
  return out;
}

/** One chunk as stored; null when the file id is not an event hash. */
export const encodeChunkFrame = (fileId: string, index: number, chunk: Uint8Array): Uint8Array | null =>
  encode(CHUNK_KIND, fileId, index, chunk);

/** Chunk digests [from, from + digests.length). */
export function encodeHashesFrame(fileId: string, from: number, digests: readonly Uint8Array[]): Uint8Array | null {
  const payload = new Uint8Array(digests.length * DIGEST_BYTES);
  digests.forEach((digest, i) => payload.set(digest, i * DIGEST_BYTES));
  return encode(HASHES_KIND, fileId, from, payload);
}

export function parseFileBytes(frame: Uint8Array): FileBytesFrame | null {
  if (frame.length < FILE_FRAME_HEADER_BYTES) return null;
  const fileId = toBase64url(frame.subarray(1, 33));
  const index = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(33);
  const payload = frame.subarray(FILE_FRAME_HEADER_BYTES);
  if (frame[0] === CHUNK_KIND) {
    if (index >= MAX_FILE_CHUNKS || payload.length === 0 || payload.length > MAX_STORED_CHUNK_BYTES) return null;
    return { kind: 'chunk', fileId, index, bytes: payload };
  }
  if (frame[0] === HASHES_KIND) {
    const count = payload.length / DIGEST_BYTES;
    if (!Number.isInteger(count) || count === 0 || count > MAX_HASHES_PER_FRAME || index + count > MAX_FILE_CHUNKS) return null;
    const digests = Array.from({ length: count }, (_, i) => payload.slice(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES));
    return { kind: 'hashes', fileId, from: index, digests };
  }
  return null;
}

/** A set of chunk indexes as the `file-have` bitfield (bit i = byte i>>3, most significant bit first). */
export function encodeBitfield(held: Iterable<number>, chunks: number): string {
  const bits = new Uint8Array(Math.ceil(chunks / 8));
  for (const index of held) if (index >= 0 && index < chunks) bits[index >> 3] = (bits[index >> 3] ?? 0) | (0x80 >> (index & 7));
  return toBase64url(bits);
}

/** The indexes set in a bitfield of `chunks` bits; null when its length does not fit `chunks`. */
export function decodeBitfield(text: string, chunks: number): Set<number> | null {
  const bits = fromBase64url(text);
  if (!bits || bits.length !== Math.ceil(chunks / 8)) return null;
  const held = new Set<number>();
  for (let index = 0; index < chunks; index++) if (((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0) held.add(index);
  return held;
}
