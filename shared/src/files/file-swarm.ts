import { encodeContent, type FileContent } from '../protocol/event-content';
import type { SignedEvent } from '../protocol/room-events';
import { isRedacted, isSigned } from '../protocol/room-events';
import { MAX_STORED_CHUNK_BYTES } from '../protocol/limits';
import type { PeerId } from '../ids';
import type { Clock, Mesh } from '../mesh/mesh-api';
import type { FilePort } from '../mesh/file-ports';
import { remember } from '../mesh/bounded-maps';
import { createEmitter } from '../mesh/typed-emitter';
import type { BucketRate } from '../mesh/token-bucket';
import type { ChunkStore, FileError, FileResult, FileSource, FileSwarm, FileSwarmCounters, FileSwarmEvents, TransferState } from './file-api';
import { createDownload, type Download } from './file-download';
import { parseFileBytes } from './file-frames';
import { fromBase64url } from '../crypto/base64url';
import { chunkCipherOf, sameBytes, sha256 } from './chunk-crypto';
import { layoutOf, type PreparedFile, prepareFile, storeFile } from './file-share';
import { createFileUploads } from './file-uploads';
import { DEFAULT_SCHEDULER_OPTIONS, type SchedulerOptions } from './chunk-scheduler';

export interface FileSwarmOptions {
  /** Largest file this peer shares or fetches, in bytes (a setting; each receiver enforces its own). Default 2 GiB. */
  maxFileBytes: number;
  /** Most bytes the room's files may take in the ChunkStore (a setting). Default 1 GiB. */
  roomQuotaBytes: number;
  /** Downloads running at once; one more is refused with BUSY. Default 4. */
  maxTransfers: number;
  /** Plaintext bytes per chunk of files shared here. Default 64 KiB (one data-channel message per chunk). */
  chunkSize: number;
  /**
   * Chunk requests one link may have queued with us; more is a strike. Default 256: an honest peer
   * never has more in flight than its windows (maxTransfers × scheduler.maxWindow = 4 × 64).
   */
  maxQueuedPerLink: number;
  /** Chunk bytes sent to one link, as a token bucket. Default 64 MiB at once, then 16 MiB/s. */
  uploadBudget: BucketRate;
  /**
   * Chunks are sent only while the link's buffer holds less than this. Default 768 KiB: with one more
   * chunk, still under the 1 MiB at which a link refuses frames, so chat goes out between chunks.
   */
  highWaterBytes: number;
  /** While a link's buffer is over the high-water mark, it is checked again this often. Default 2 ms. */
  drainPollMs: number;
  /** Per-holder windows and the request timeout. Defaults: DEFAULT_SCHEDULER_OPTIONS. */
  scheduler: Omit<SchedulerOptions, 'random'>;
  /** A download with no chunk delivered this long fails with NO_SOURCE (fetch again to retry). Default 120,000 ms. */
  noSourceMs: number;
  /**
   * Big rooms, where holders need not be neighbours: a download that has known no holder this long
   * asks the mesh for links to SEEK_LINKS room members it is not linked to (link on demand), and again
   * every this-many ms. Default 5,000 ms.
   */
  seekAfterMs: number;
  /** Timer period: timeouts, re-queries, throttled `transfer` events. Default 250 ms. */
  tickMs: number;
  /** Transfer states remembered (complete, failed) besides running ones. Default 1,000. */
  maxRemembered: number;
}

export const DEFAULT_FILE_SWARM_OPTIONS: FileSwarmOptions = {
  maxFileBytes: 2 * 1024 ** 3,
  roomQuotaBytes: 1024 ** 3,
  maxTransfers: 4,
  chunkSize: 64 * 1024,
  maxQueuedPerLink: 256,
  uploadBudget: { perSecond: 16 * 1024 ** 2, burst: 64 * 1024 ** 2 },
  highWaterBytes: 768 * 1024,
  drainPollMs: 2,
  scheduler: DEFAULT_SCHEDULER_OPTIONS,
  noSourceMs: 120_000,
  seekAfterMs: 5_000,
  tickMs: 250,
  maxRemembered: 1_000,
};

export interface FileSwarmDeps {
  /**
   * The room's mesh: file frames, link events, deletes (`message`), publishing the `file` event, and
   * links on demand to members beyond the neighbours (`topology`, `requestLink`).
   */
  mesh: Pick<Mesh, 'publish' | 'attachFiles' | 'on' | 'topology' | 'requestLink'>;
  store: ChunkStore;
  clock: Clock;
  /**
   * How event bodies are written (web/src/state/chat.ts's MessageCodec): `encrypted` also decides whether
   * chunks are encrypted. A blind keeper passes its plain codec and only ever calls `keep`.
   */
  codec: { readonly encrypted: boolean; encode(text: string): Promise<string> };
  random?(): number;
  options?: Partial<FileSwarmOptions>;
  /** Store and handler failures while handling frames; the swarm keeps running. Default: rethrown on a microtask. */
  onError?(error: unknown): void;
}

/** The swarm, plus what a keeper and debug views need beyond the browser's contract. */
export interface KeepingFileSwarm extends FileSwarm {
  counters(): FileSwarmCounters;
  /**
   * Fetches and stores a file's bytes as stored (ciphertext in private rooms) without its manifest: for
   * a blind keeper, which verifies everything against the event's signed `target` alone.
   */
  keep(event: SignedEvent): FileResult<void>;
}

/** Links asked for per seek (see FileSwarmOptions.seekAfterMs). */
export const SEEK_LINKS = 2;

const refuse = (code: FileError['code'], message: string): FileResult<never> => ({ ok: false, error: { code, message } });

/** Creates the file side of one room (see FileSwarm, and shared/src/files/* for each part). */
export function createFileSwarm(deps: FileSwarmDeps): KeepingFileSwarm {
  const options: FileSwarmOptions = { ...DEFAULT_FILE_SWARM_OPTIONS, ...deps.options };
  const { store, clock } = deps;
  const onError = deps.onError ?? ((error: unknown) => void Promise.reject(error));
  const random = deps.random ?? Math.random;
  const events = createEmitter<FileSwarmEvents>(onError);
  const ports = new Map<PeerId, FilePort>();
  const downloads = new Map<string, Download>();
  const states = new Map<string, TransferState>();
  /** File keys of private-room files this peer shared or fetched (read decrypts with them). */
  const keys = new Map<string, string | null>();
  const lastEmitted = new Map<string, { at: number; bytes: number }>();
  /** Per running download: when it last had a holder or last asked for links (see seek). */
  const lastSeek = new Map<string, number>();
  const uploads = createFileUploads({ store, clock, onError, options });
  const counters: FileSwarmCounters = { chunksStored: 0, badChunks: 0, unsolicitedFrames: 0, bytesServed: 0 };
  /**
   * Roots of the files share() is publishing and storing. Their event reaches the app before the chunks
   * are stored, and the app fetches small pictures on sight: a download begun then raced share's writes
   * in the same store (the author showed its own picture as downloading, and readers counted a bad chunk
   * from it and stopped asking it).
   */
  const beingShared = new Set<string>();
  let closed = false;

  const openPorts = (): FilePort[] => [...ports.values()];
  const running = (): Download[] => [...downloads.values()].filter((d) => d.phase === 'downloading' || d.phase === 'queued');

  function publishState(fileId: string, force: boolean): void {
    const download = downloads.get(fileId);
    if (!download) return;
    const now = clock.now();
    const last = lastEmitted.get(fileId) ?? { at: now, bytes: download.receivedBytes() };
    const previous = states.get(fileId);
    if (!force && previous?.phase === download.phase && now - last.at < options.tickMs) return;
    const elapsed = Math.max(1, now - last.at);
    const state: TransferState = {
      fileId, phase: download.phase, receivedBytes: download.receivedBytes(), totalBytes: download.totalBytes(),
      bytesPerSecond: download.phase === 'downloading' ? Math.round(((download.receivedBytes() - last.bytes) * 1000) / elapsed) : 0,
      sources: download.sources(), ...(download.error && { error: download.error }),
    };
    lastEmitted.set(fileId, { at: now, bytes: state.receivedBytes });
    remember(states, fileId, state, options.maxRemembered + options.maxTransfers);
    if (download.phase !== 'downloading' && download.phase !== 'queued') {
      downloads.delete(fileId);
      lastSeek.delete(fileId);
      lastEmitted.delete(fileId);
    }
    events.emit('transfer', state);
  }

  /**
   * What a file may take: the maximum file size, and the room quota less what is stored and what the
   * other running downloads still reserve.
   */
  async function allowance(self?: Download): Promise<number> {
    const reserved = running().filter((d) => d !== self).reduce((sum, d) => sum + Math.max(0, d.totalBytes() - d.receivedBytes()), 0);
    return Math.min(options.maxFileBytes, options.roomQuotaBytes - (await store.usage()) - reserved);
  }

  function startDownload(event: SignedEvent, layout: ReturnType<typeof layoutOf> | null): FileResult<void> {
    if (closed) return refuse('CANCELLED', 'the swarm is closed');
    if (event.kind !== 'file' || event.target === undefined) return refuse('BAD_CHUNK', 'not a file event');
    const existing = downloads.get(event.id);
    // Our own file on its way into the store: it is complete once share() returns.
    if (existing || beingShared.has(event.target)) return { ok: true, value: undefined };
    if (running().length >= options.maxTransfers) return refuse('BUSY', `${options.maxTransfers} transfers are running`);
    const download = createDownload({
      fileId: event.id, root: event.target, layout, store, ports: openPorts, now: clock.now,
      scheduler: { ...options.scheduler, random }, allowance: () => allowance(download), noSourceMs: options.noSourceMs, counters,
      onProgress: () => publishState(event.id, false),
    });
    downloads.set(event.id, download);
    lastEmitted.delete(event.id);
    void download.start().then(() => publishState(event.id, true), onError);
    return { ok: true, value: undefined };
  }

  async function removeFile(fileId: string): Promise<void> {
    downloads.get(fileId)?.stop('cancelled', { code: 'DELETED', message: 'the file was removed' });
    downloads.delete(fileId);
    states.delete(fileId);
    keys.delete(fileId);
    lastSeek.delete(fileId);
    await store.remove(fileId);
  }

  const detach = deps.mesh.attachFiles({
    opened(port) {
      ports.set(port.peerId, port);
      uploads.opened(port);
      for (const download of downloads.values()) download.opened(port);
    },
    closed(port) {
      ports.delete(port.peerId);
      uploads.closed(port.peerId);
      for (const download of downloads.values()) download.closed(port.peerId);
    },
    frame(port, frame) {
      if (frame.type === 'file-have' || frame.type === 'file-none') downloads.get(frame.file)?.onFrame(port, frame);
      else void uploads.onFrame(port, frame).catch(onError);
    },
    bytes(port, bytes) {
      const frame = parseFileBytes(bytes);
      const download = frame && downloads.get(frame.fileId);
      if (!frame || !download) {
        counters.unsolicitedFrames++;
        return port.strike();
      }
      const handled = frame.kind === 'chunk' ? download.onChunk(port, frame.index, frame.bytes) : download.onHashes(port, frame.from, frame.digests);
      void handled.catch(onError);
    },
  });

  // A verified delete of a file event (the mesh checked it is the author's) removes its bytes.
  const stopMessages = deps.mesh.on('message', (event) => {
    if (isSigned(event) && event.kind === 'delete' && event.target !== undefined) void removeFile(event.target).catch(onError);
    else if (isRedacted(event) && event.kind === 'file') void removeFile(event.id).catch(onError);
  });

  /**
   * Big rooms: holders beyond our neighbours are reached by a link on demand rather than by relaying
   * chunks through the mesh. Relaying would put every byte on the links (and the budgets) of each peer
   * in between, hop after hop; a direct link costs one connection, which the connector sets up through
   * the server or relayed signaling, and which peer exchange later sheds like any surplus link. Who holds
   * a file is unknown until asked, so random members we are not linked to are tried, a few at a time:
   * every finished download adds a holder, so the odds improve as a file spreads.
   */
  function seek(fileId: string, download: Download): void {
    const now = clock.now();
    if (download.holders() > 0) return void lastSeek.set(fileId, now);
    const since = lastSeek.get(fileId);
    if (since === undefined) return void lastSeek.set(fileId, now);
    if (now - since < options.seekAfterMs) return;
    lastSeek.set(fileId, now);
    const strangers = deps.mesh.topology().map((entry) => entry.peerId).filter((peerId) => !ports.has(peerId));
    for (let asked = 0; asked < SEEK_LINKS && strangers.length > 0; ) {
      const [peerId] = strangers.splice(Math.floor(random() * strangers.length), 1);
      if (peerId !== undefined && deps.mesh.requestLink(peerId)) asked++;
    }
  }

  /** Publishes the file event, then stores the chunks (the author is the first holder). */
  async function publishAndStore(source: FileSource, prepared: PreparedFile): Promise<FileResult<SignedEvent>> {
    let event: SignedEvent;
    try {
      const body = await deps.codec.encode(encodeContent('file', prepared.manifest));
      event = await deps.mesh.publish({ kind: 'file', target: prepared.manifest.root, body });
    } catch (error) {
      return refuse('CANCELLED', error instanceof Error ? error.message : 'the file event could not be published');
    }
    const stored = await storeFile(store, event.id, source, prepared);
    if (!stored.ok) {
      await store.remove(event.id);
      return stored;
    }
    remember(keys, event.id, prepared.manifest.key ?? null, options.maxRemembered);
    const total = layoutOf(prepared.manifest).storedSize;
    const state: TransferState = { fileId: event.id, phase: 'complete', receivedBytes: total, totalBytes: total, bytesPerSecond: 0, sources: 0 };
    remember(states, event.id, state, options.maxRemembered + options.maxTransfers);
    events.emit('transfer', state);
    // Links that asked while the chunks were being stored learn of them now.
    for (const port of openPorts()) void uploads.onFrame(port, { type: 'file-query', file: event.id }).catch(onError);
    return { ok: true, value: event };
  }

  const timer = clock.setInterval(() => {
    for (const [fileId, download] of [...downloads]) {
      download.tick();
      if (download.phase === 'downloading') seek(fileId, download);
      publishState(fileId, false);
    }
  }, options.tickMs);

  return {
    async share(source) {
      if (closed) return refuse('CANCELLED', 'the swarm is closed');
      if (source.size > options.maxFileBytes) return refuse('TOO_LARGE', `the file has ${source.size} bytes, the maximum is ${options.maxFileBytes}`);
      const layout = layoutOf({ size: source.size, chunkSize: options.chunkSize, ...(deps.codec.encrypted && { key: '' }) });
      if (layout.storedSize > (await allowance())) return refuse('QUOTA', 'the room\'s file quota would be exceeded');
      const prepared = await prepareFile(source, Math.min(options.chunkSize, MAX_STORED_CHUNK_BYTES - 16), deps.codec.encrypted);
      if (!prepared.ok) return prepared;
      const { root } = prepared.value.manifest;
      beingShared.add(root);
      try {
        return await publishAndStore(source, prepared.value);
      } finally {
        beingShared.delete(root);
      }
    },
    fetch(event, manifest) {
      if (manifest.root !== event.target) return refuse('BAD_CHUNK', 'the manifest names another root than its event');
      if ((manifest.key !== undefined) !== deps.codec.encrypted) return refuse('BAD_CHUNK', 'a private room\'s file needs its key, a public room\'s has none');
      const layout = layoutOf(manifest);
      if (manifest.size > options.maxFileBytes) return refuse('TOO_LARGE', `the file has ${manifest.size} bytes, the maximum is ${options.maxFileBytes}`);
      if (layout.storedChunkSize > MAX_STORED_CHUNK_BYTES) return refuse('TOO_LARGE', 'chunks too large for the wire');
      const started = startDownload(event, layout);
      if (started.ok) remember(keys, event.id, manifest.key ?? null, options.maxRemembered);
      return started;
    },
    keep: (event) => startDownload(event, null),
    cancel(fileId) {
      const download = downloads.get(fileId);
      if (!download) return;
      download.stop('cancelled', { code: 'CANCELLED', message: 'cancelled' });
      publishState(fileId, true);
      void store.remove(fileId).catch(onError);
    },
    remove: removeFile,
    state: (fileId) => states.get(fileId) ?? null,
    read(fileId) {
      const key = keys.get(fileId);
      if (states.get(fileId)?.phase !== 'complete' || key === undefined || (key === null) === deps.codec.encrypted) return null;
      return readPlaintext(store, fileId, key);
    },
    counters: () => ({ ...counters, bytesServed: uploads.sentBytes() }),
    on: events.on,
    close() {
      if (closed) return;
      closed = true;
      clock.clearInterval(timer);
      for (const download of downloads.values()) download.stop('cancelled', { code: 'CANCELLED', message: 'the swarm closed' });
      uploads.close();
      stopMessages();
      detach();
      events.clear();
    },
  };
}

/**
 * The stored chunks, each checked against its recorded hash again (a disk can rot) and decrypted. A chunk
 * gone missing or corrupt since it was verified ends the iteration with an error (the caller's loop
 * throws): the one failure a reader cannot be handed as a value mid-stream.
 */
async function* readPlaintext(store: ChunkStore, fileId: string, key: string | null): AsyncGenerator<Uint8Array> {
  const info = await store.info(fileId);
  if (!info) return;
  const cipher = key === null ? null : await chunkCipherOf(key);
  for (let index = 0; index < info.chunkHashes.length; index++) {
    const stored = await store.read(fileId, index);
    const expected = info.chunkHashes[index];
    const digest = expected === undefined ? null : fromBase64url(expected);
    if (!stored || !digest || !sameBytes(await sha256(stored), digest)) throw new Error(`chunk ${index} of ${fileId} is missing or corrupt`);
    const plain = cipher ? await cipher.open(index, stored) : stored;
    if (!plain) throw new Error(`chunk ${index} of ${fileId} does not decrypt`);
    yield plain;
  }
}
