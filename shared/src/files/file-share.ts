import { toBase64url } from '../crypto/base64url';
import { MAX_FILE_CHUNKS, MAX_STORED_CHUNK_BYTES } from '../protocol/limits';
import type { FileContent } from '../protocol/event-content';
import type { ChunkStore, FileResult, FileSource, StoredFileInfo } from './file-api';
import { AES_GCM_TAG_BYTES, type ChunkCipher, chunkCipherOf, newFileKey, rootOf, sameBytes, sha256 } from './chunk-crypto';

/**
 * Sharing a local file, in two passes over the source, each a slice at a time (never the whole file in
 * memory). The first hashes (and in private rooms encrypts) every chunk to get the root the event must
 * carry; the event id, which names the file in every ChunkStore, exists only once that event is signed,
 * so the second pass, after publishing, produces the same chunks again (encryption is deterministic:
 * one file key, the chunk index as IV) and stores them, checking each against the first pass (a source
 * that changed in between fails with READ_FAILED).
 */

/** The stored layout a manifest implies: chunk count, stored size and stored chunk size. */
export function layoutOf(manifest: Pick<FileContent, 'size' | 'chunkSize' | 'key'>): { chunks: number; storedSize: number; storedChunkSize: number } {
  const chunks = Math.ceil(manifest.size / manifest.chunkSize);
  const overhead = manifest.key === undefined ? 0 : AES_GCM_TAG_BYTES;
  return { chunks, storedSize: manifest.size + chunks * overhead, storedChunkSize: manifest.chunkSize + overhead };
}

const failure = <T>(code: 'TOO_LARGE' | 'READ_FAILED', message: string): FileResult<T> => ({ ok: false, error: { code, message } });

export interface PreparedFile {
  manifest: FileContent;
  /** The stored chunks' digests (their root is `manifest.root`). */
  digests: Uint8Array[];
  cipher: ChunkCipher | null;
}

async function readChunk(source: FileSource, index: number, chunkSize: number): Promise<FileResult<Uint8Array>> {
  const length = Math.min(chunkSize, source.size - index * chunkSize);
  try {
    const bytes = await source.read(index * chunkSize, length);
    return bytes.length === length ? { ok: true, value: bytes } : failure('READ_FAILED', `read ${bytes.length} of ${length} bytes at chunk ${index}`);
  } catch (error) {
    return failure('READ_FAILED', error instanceof Error ? error.message : 'the file could not be read');
  }
}

/** First pass: the manifest (with its roots) and the digests to check the second pass against. */
export async function prepareFile(source: FileSource, chunkSize: number, encrypted: boolean): Promise<FileResult<PreparedFile>> {
  const key = encrypted ? newFileKey() : undefined;
  const layout = layoutOf({ size: source.size, chunkSize, key });
  if (layout.chunks > MAX_FILE_CHUNKS || layout.storedChunkSize > MAX_STORED_CHUNK_BYTES) return failure('TOO_LARGE', `${layout.chunks} chunks of ${layout.storedChunkSize} bytes exceed the wire's bounds`);
  const cipher = key === undefined ? null : await chunkCipherOf(key);
  const plainDigests: Uint8Array[] = [];
  const digests: Uint8Array[] = [];
  for (let index = 0; index < layout.chunks; index++) {
    const plain = await readChunk(source, index, chunkSize);
    if (!plain.ok) return plain;
    const stored = cipher ? await cipher.seal(index, plain.value) : plain.value;
    const [plainDigest, storedDigest] = await Promise.all([sha256(plain.value), cipher ? sha256(stored) : null]);
    plainDigests.push(plainDigest);
    digests.push(storedDigest ?? plainDigest);
  }
  const [hash, root] = await Promise.all([rootOf(plainDigests), rootOf(digests)]);
  const manifest: FileContent = {
    name: (source.name || 'file').slice(0, 255), size: source.size, type: source.type.slice(0, 255), chunkSize, hash, root,
    ...(key !== undefined && { key }),
  };
  return { ok: true, value: { manifest, digests, cipher } };
}

/** Second pass: stores the chunks under the event id. */
export async function storeFile(store: ChunkStore, fileId: string, source: FileSource, prepared: PreparedFile): Promise<FileResult<void>> {
  const { manifest, digests, cipher } = prepared;
  const layout = layoutOf(manifest);
  const info: StoredFileInfo = { size: layout.storedSize, chunkSize: layout.storedChunkSize, chunkHashes: digests.map(toBase64url) };
  const begun = await store.begin(fileId, info);
  if (!begun.ok) return begun;
  for (let index = 0; index < layout.chunks; index++) {
    const plain = await readChunk(source, index, manifest.chunkSize);
    if (!plain.ok) return plain;
    const stored = cipher ? await cipher.seal(index, plain.value) : plain.value;
    const expected = digests[index];
    if (!expected || !sameBytes(await sha256(stored), expected)) return failure('READ_FAILED', 'the file changed while it was being shared');
    const written = await store.write(fileId, index, stored);
    if (!written.ok) return written;
  }
  return { ok: true, value: undefined };
}
