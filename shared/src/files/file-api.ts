import type { FileContent } from '../protocol/event-content';
import type { SignedEvent } from '../protocol/room-events';

/**
 * The contract between the file swarm (shared/src/files, pure: chunking, hashing, the swarm scheduler,
 * the transfer frames) and its hosts: the browser (OPFS chunk store, the UI), the Node peer and keeper
 * (SQLite/disk chunk store), tests (memory). A file is named everywhere by the id of its signed `file`
 * event; its bytes are fixed by the event's `target`, the root over the chunks as stored and sent.
 */

/** Why a file operation failed; every boundary maps its failures onto one of these. */
export type FileErrorCode =
  /** Bigger than this peer's maximum file size (a setting; every receiver enforces its own). */
  | 'TOO_LARGE'
  /** The room's file quota (a setting) would be exceeded. */
  | 'QUOTA'
  /** The storage itself is full or refused the write (the browser's quota, a full disk). */
  | 'DISK_FULL'
  /** A chunk or the hash list did not match the signed root. */
  | 'BAD_CHUNK'
  /** No peer holding the file answered in time; retry later. */
  | 'NO_SOURCE'
  /** The author deleted the file event. */
  | 'DELETED'
  /** Too many transfers at once (a bound that holds against hostile peers). */
  | 'BUSY'
  /** Reading the local source file failed. */
  | 'READ_FAILED'
  | 'CANCELLED';

export interface FileError {
  code: FileErrorCode;
  message: string;
}
/** File operations fail with a FileError value, never by throwing across a boundary. */
export type FileResult<T> = { ok: true; value: T } | { ok: false; error: FileError };

/** A local file being shared, read in slices so it is never held whole in memory (a browser File, a Node fd). */
export interface FileSource {
  readonly name: string;
  readonly size: number;
  /** Media type as the platform reports it ('' when unknown). */
  readonly type: string;
  /** The bytes [offset, offset + length), shorter only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Where a peer keeps file chunks as stored and sent (ciphertext in private rooms): OPFS in the browser,
 * disk in the keeper, memory in tests. Writes of verified chunks only; never throws, failures are values.
 */
export interface ChunkStore {
  /** Records a file before its first chunk: its chunk hashes (verified against the root) and total bytes. */
  begin(fileId: string, info: StoredFileInfo): Promise<FileResult<void>>;
  /** What is held of the file, or null when nothing is. */
  info(fileId: string): Promise<StoredFileInfo | null>;
  /** Indexes of the chunks held. */
  held(fileId: string): Promise<ReadonlySet<number>>;
  read(fileId: string, index: number): Promise<Uint8Array | null>;
  write(fileId: string, index: number, bytes: Uint8Array): Promise<FileResult<void>>;
  /** Drops every chunk and the record (a cancelled transfer, a deleted event, retention). */
  remove(fileId: string): Promise<void>;
  /** Bytes held across the room's files (quota accounting). */
  usage(): Promise<number>;
}

export interface StoredFileInfo {
  /** Bytes of the file as stored (ciphertext in private rooms). */
  size: number;
  chunkSize: number;
  /** SHA-256 of each stored chunk, base64url; their concatenation hashes to the event's `target`. */
  chunkHashes: readonly string[];
}

export type TransferPhase = 'queued' | 'downloading' | 'complete' | 'failed' | 'cancelled';

/** What the UI shows of one file's bytes on this peer. */
export interface TransferState {
  fileId: string;
  phase: TransferPhase;
  /**
   * Bytes verified and stored so far, of `totalBytes`, counted as stored: in private rooms that is the
   * ciphertext, 16 bytes (the AES-GCM tag) more per chunk than the plaintext.
   */
  receivedBytes: number;
  totalBytes: number;
  /** Recent throughput (a moving window), 0 when idle. */
  bytesPerSecond: number;
  /** Peers chunks are being pulled from right now. */
  sources: number;
  error?: FileError;
}

/** What a swarm did with peers' bytes (debug views, tests; see KeepingFileSwarm.counters). */
export interface FileSwarmCounters {
  /** Chunks verified and stored. */
  chunksStored: number;
  /** Chunks or hash lists that did not match the signed root: dropped, their sender struck and not asked for that file for a while (see MAX_OFFENCES). */
  badChunks: number;
  /** Binary frames nobody asked for (or unparsable): dropped, their sender struck. */
  unsolicitedFrames: number;
  /** Chunk bytes sent to others. */
  bytesServed: number;
}

export interface FileSwarmEvents {
  /** A transfer's state changed (throttled: at most a few times per second per file). */
  transfer: TransferState;
}

/** The file side of a room, as the app uses it. */
export interface FileSwarm {
  /**
   * Chunks and hashes the source (encrypting in private rooms), stores the chunks, then publishes the
   * signed `file` event; the author is the first holder. TOO_LARGE / QUOTA / READ_FAILED as values.
   */
  share(source: FileSource): Promise<FileResult<SignedEvent>>;
  /** Starts, or resumes from what is stored, fetching the bytes of a file event whose manifest the app decoded. */
  fetch(event: SignedEvent, manifest: FileContent): FileResult<void>;
  /** Stops a transfer and drops its partial chunks. */
  cancel(fileId: string): void;
  /** Removes the bytes (the author deleted the event, or retention dropped it); running transfers stop. */
  remove(fileId: string): Promise<void>;
  state(fileId: string): TransferState | null;
  /**
   * The verified plaintext of a complete file, chunk by chunk, in order (downloads, inline pictures).
   * Null until this swarm has seen the file complete through `share` or `fetch` (after a reload, call
   * `fetch` again: it resumes, or completes at once from the store, and brings back a private file's key).
   */
  read(fileId: string): AsyncIterable<Uint8Array> | null;
  on<K extends keyof FileSwarmEvents>(event: K, handler: (payload: FileSwarmEvents[K]) => void): () => void;
  close(): void;
}
