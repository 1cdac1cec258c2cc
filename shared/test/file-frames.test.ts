import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FileContentSchema, MAX_CHUNK_REQUEST, MAX_FILE_CHUNKS, MAX_HASHES_PER_FRAME, MAX_STORED_CHUNK_BYTES, parsePeerMessage } from '../src/index';
import { sameBytes } from '../src/files/chunk-crypto';
import { decodeBitfield, encodeBitfield, encodeChunkFrame, encodeHashesFrame, parseFileBytes } from '../src/files/file-frames';

const FILE = 'A'.repeat(43);
const frame = (value: object) => parsePeerMessage(JSON.stringify(value));
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('file control frames', () => {
  it('accepts MAX_CHUNK_REQUEST indexes in a file-req and refuses one more', () => {
    expect(frame({ type: 'file-req', file: FILE, indexes: range(MAX_CHUNK_REQUEST) }).ok).toBe(true);
    expect(frame({ type: 'file-req', file: FILE, indexes: range(MAX_CHUNK_REQUEST + 1) }).ok).toBe(false);
    expect(frame({ type: 'file-req', file: FILE, indexes: [] }).ok).toBe(false);
  });

  it('accepts chunk indexes below MAX_FILE_CHUNKS and refuses MAX_FILE_CHUNKS itself', () => {
    expect(frame({ type: 'file-none', file: FILE, indexes: [MAX_FILE_CHUNKS - 1] }).ok).toBe(true);
    expect(frame({ type: 'file-none', file: FILE, indexes: [MAX_FILE_CHUNKS] }).ok).toBe(false);
  });

  it('accepts a hash request of MAX_HASHES_PER_FRAME and refuses one more', () => {
    expect(frame({ type: 'file-hashes-req', file: FILE, from: 0, count: MAX_HASHES_PER_FRAME }).ok).toBe(true);
    expect(frame({ type: 'file-hashes-req', file: FILE, from: 0, count: MAX_HASHES_PER_FRAME + 1 }).ok).toBe(false);
  });

  it('accepts a file-have of MAX_FILE_CHUNKS with its full bitfield and refuses one chunk more', () => {
    const have = (chunks: number) => ({ type: 'file-have', file: FILE, chunks, bits: encodeBitfield(range(chunks), chunks), bytes: 1, chunkSize: 1 });
    expect(frame(have(MAX_FILE_CHUNKS)).ok).toBe(true);
    expect(frame(have(MAX_FILE_CHUNKS + 1)).ok).toBe(false);
    expect(frame({ ...have(8), chunkSize: MAX_STORED_CHUNK_BYTES }).ok).toBe(true);
    expect(frame({ ...have(8), chunkSize: MAX_STORED_CHUNK_BYTES + 1 }).ok).toBe(false);
  });

  it('refuses a file id that is not an event hash', () => {
    expect(frame({ type: 'file-query', file: FILE }).ok).toBe(true);
    expect(frame({ type: 'file-query', file: 'A'.repeat(44) }).ok).toBe(false);
  });
});

describe('binary file frames', () => {
  it('round-trips a chunk of MAX_STORED_CHUNK_BYTES and refuses one byte more', () => {
    const chunk = new Uint8Array(MAX_STORED_CHUNK_BYTES).fill(7);
    const parsed = parseFileBytes(encodeChunkFrame(FILE, 9, chunk)!);
    // Byte arrays compared as one buffer: element-wise deep equality of 255 KiB takes seconds.
    expect(parsed?.kind === 'chunk' && [parsed.fileId, parsed.index, sameBytes(parsed.bytes, chunk)]).toEqual([FILE, 9, true]);
    expect(parseFileBytes(encodeChunkFrame(FILE, 9, new Uint8Array(MAX_STORED_CHUNK_BYTES + 1))!)).toBeNull();
    expect(parseFileBytes(encodeChunkFrame(FILE, MAX_FILE_CHUNKS, chunk.subarray(0, 10))!)).toBeNull();
  });

  it('round-trips MAX_HASHES_PER_FRAME digests and refuses one more, or a ragged payload', () => {
    const digests = range(MAX_HASHES_PER_FRAME).map((i) => new Uint8Array(32).fill(i & 0xff));
    const parsed = parseFileBytes(encodeHashesFrame(FILE, 0, digests)!);
    expect(parsed?.kind === 'hashes' && parsed.digests.every((d, i) => sameBytes(d, digests[i]!))).toBe(true);
    expect(parsed?.kind === 'hashes' && parsed.digests.length).toBe(MAX_HASHES_PER_FRAME);
    expect(parseFileBytes(encodeHashesFrame(FILE, 0, [...digests, new Uint8Array(32)])!)).toBeNull();
    const ragged = encodeHashesFrame(FILE, 0, [new Uint8Array(32)])!;
    expect(parseFileBytes(ragged.subarray(0, ragged.length - 1))).toBeNull();
  });

  it('refuses unknown kinds and short frames, and names no file that is not an event id', () => {
    const chunk = encodeChunkFrame(FILE, 0, new Uint8Array(4))!;
    chunk[0] = 3;
    expect(parseFileBytes(chunk)).toBeNull();
    expect(parseFileBytes(new Uint8Array(36))).toBeNull();
    expect(encodeChunkFrame('not-a-hash', 0, new Uint8Array(1))).toBeNull();
  });

  it('round-trips a bitfield and refuses one of the wrong length', () => {
    const held = new Set([0, 7, 8, 19]);
    expect(decodeBitfield(encodeBitfield(held, 20), 20)).toEqual(held);
    expect(decodeBitfield(encodeBitfield(held, 20), 30)).toBeNull();
  });
});

describe('file manifest', () => {
  const manifest = { name: 'a.png', size: 1, type: 'image/png', chunkSize: 65_536, hash: FILE, root: FILE };
  it('takes an optional 32-byte file key and refuses any other length', () => {
    expect(v.is(FileContentSchema, manifest)).toBe(true);
    expect(v.is(FileContentSchema, { ...manifest, key: 'k'.repeat(43) })).toBe(true);
    expect(v.is(FileContentSchema, { ...manifest, key: 'k'.repeat(44) })).toBe(false);
    expect(v.is(FileContentSchema, { ...manifest, key: 'k'.repeat(42) })).toBe(false);
  });
});
