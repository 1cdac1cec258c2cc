import { fromBase64url, toBase64url } from '../crypto/base64url';
import type { PeerId } from '../ids';
import type { FilePort } from '../mesh/file-ports';
import { MAX_CHUNK_REQUEST, MAX_HASHES_PER_FRAME } from '../protocol/limits';
import type { FileFrame } from '../protocol/peer-messages';
import type { ChunkStore, FileError, FileSwarmCounters, StoredFileInfo, TransferPhase } from './file-api';
import { decodeBitfield } from './file-frames';
import { rootOf, sameBytes, sha256 } from './chunk-crypto';
import { createChunkScheduler, type SchedulerOptions } from './chunk-scheduler';

/**
 * One file being fetched: discovery (`file-query` to every open link, again every query interval, since
 * holders' sets grow), the hash list from one holder (verified against the signed root before anything
 * is stored), then chunks from every holder through the scheduler, each verified against its hash before
 * it is stored. Resumes from whatever the ChunkStore holds. Bad data is never stored and costs its
 * sender a strike (the mesh closes and bans a peer that keeps at it) and its place among the holders.
 */
export interface DownloadDeps {
  fileId: string;
  /** The signed root (the event's `target`). */
  root: string;
  /** The stored layout when the manifest is known (members); null for a blind keeper (learnt from holders). */
  layout: { chunks: number; storedSize: number; storedChunkSize: number } | null;
  store: ChunkStore;
  ports(): readonly FilePort[];
  now(): number;
  scheduler: SchedulerOptions;
  /** Most stored bytes this file may take now (the maximum file size, and what is left of the quota). */
  allowance(): Promise<number>;
  /** Fails the transfer when no holder delivered anything this long. */
  noSourceMs: number;
  onProgress(): void;
  /** The swarm's counters, updated in place. */
  counters: FileSwarmCounters;
}

export interface Download {
  readonly phase: TransferPhase;
  readonly error: FileError | undefined;
  receivedBytes(): number;
  totalBytes(): number;
  sources(): number;
  /** Peers known to hold some of the file (its have, or its claim while the hash list is pending). */
  holders(): number;
  start(): Promise<void>;
  opened(port: FilePort): void;
  closed(peer: PeerId): void;
  onFrame(port: FilePort, frame: Extract<FileFrame, { type: 'file-have' | 'file-none' }>): void;
  onHashes(port: FilePort, from: number, digests: Uint8Array[]): Promise<void>;
  onChunk(port: FilePort, index: number, bytes: Uint8Array): Promise<void>;
  /** Timeouts, re-queries, the no-source deadline; called every tick by the swarm. */
  tick(): void;
  /** Stops (cancelled, removed, closed); nothing is sent or stored afterwards. */
  stop(phase: 'cancelled' | 'failed', error?: FileError): void;
}

/** Bytes of chunk `index` as stored: every chunk is `chunkSize` long but the last, which takes the rest. */
function lengthOf(info: StoredFileInfo, index: number): number {
  const last = info.chunkHashes.length - 1;
  return index < last ? info.chunkSize : info.size - last * info.chunkSize;
}

/**
 * Bad data a peer may send for one file before it is never asked for it again. Each offence pauses it for
 * twice as long as the last (the request timeout, then twice that), so a liar costs at most three
 * rounds of chunks per file, each a strike, and the mesh bans a peer that keeps at it.
 */
export const MAX_OFFENCES = 3;

export function createDownload(deps: DownloadDeps): Download {
  let phase: TransferPhase = 'queued';
  let error: FileError | undefined;
  let info: StoredFileInfo | null = null;
  let digests: Uint8Array[] = [];
  let scheduler: ReturnType<typeof createChunkScheduler> | null = null;
  let received = 0;
  let lastProgress = deps.now();
  let lastQuery = 0;
  /** Holders' claims (from `file-have`) kept until the hash list is known. */
  const claims = new Map<PeerId, { chunks: number; bytes: number; chunkSize: number; held: Set<number> }>();
  let hashFetch: { peer: PeerId; chunks: number; got: Uint8Array[]; askedAt: number } | null = null;
  /**
   * A complete hash list is being checked and recorded (its root, the quota, the store's begin): no
   * other fetch starts. One started then by a holder's `file-have` completed after the file was
   * adopted and its claims cleared, and struck and paused the holder that answered it, honest as it
   * was: with the author as the only holder, the download stalled for the pause (the e2e files flake).
   */
  let adopting = false;
  /** Peers that sent bad data for this file, and when they may be asked again. */
  const offences = new Map<PeerId, { count: number; until: number }>();
  const distrusted = (peer: PeerId): boolean => {
    const offence = offences.get(peer);
    return offence !== undefined && (offence.count >= MAX_OFFENCES || deps.now() < offence.until);
  };
  const fail = (code: FileError['code'], message: string): void => download.stop('failed', { code, message });
  const live = (): boolean => phase === 'downloading';
  const portOf = (peer: PeerId): FilePort | undefined => deps.ports().find((p) => p.peerId === peer);

  /**
   * Bad data from a peer: counted, and the peer is not asked for this file for a while. Struck once per
   * pause, not once per chunk: the chunks it had in flight all fail alike, and an honest peer whose disk
   * rotted should not be banned for one file. Asked again after the pause (its answers are checked like
   * anyone's): a sole holder that sent one bad chunk once would otherwise stall the download for good.
   */
  const penalize = (port: FilePort): void => {
    deps.counters.badChunks++;
    if (distrusted(port.peerId)) return;
    const count = (offences.get(port.peerId)?.count ?? 0) + 1;
    offences.set(port.peerId, { count, until: deps.now() + deps.scheduler.requestTimeoutMs * 2 ** (count - 1) });
    claims.delete(port.peerId);
    scheduler?.removeHolder(port.peerId);
    port.strike();
  };

  function pump(): void {
    if (!live() || !scheduler) return;
    if (scheduler.missing() === 0) {
      phase = 'complete';
      deps.onProgress();
      return;
    }
    for (const [peer, picked] of scheduler.plan(deps.now())) {
      for (let at = 0; at < picked.length; at += MAX_CHUNK_REQUEST) {
        const indexes = picked.slice(at, at + MAX_CHUNK_REQUEST);
        const sent = portOf(peer)?.sendFrame({ type: 'file-req', file: deps.fileId, indexes }) ?? false;
        if (!sent) for (const index of indexes) scheduler.release(index);
      }
    }
  }

  function askHashes(): void {
    if (info || adopting || hashFetch || !live()) return;
    for (const [peer, claim] of claims) {
      const port = portOf(peer);
      if (!port || (deps.layout && claim.chunks !== deps.layout.chunks)) continue;
      hashFetch = { peer, chunks: claim.chunks, got: [], askedAt: deps.now() };
      port.sendFrame({ type: 'file-hashes-req', file: deps.fileId, from: 0, count: Math.min(MAX_HASHES_PER_FRAME, claim.chunks) });
      return;
    }
  }

  /** The hash list verified: record the file and start pulling chunks. */
  async function adopt(hashes: Uint8Array[], claim: { bytes: number; chunkSize: number }): Promise<void> {
    const layout = deps.layout ?? { chunks: hashes.length, storedSize: claim.bytes, storedChunkSize: claim.chunkSize };
    const allowed = await deps.allowance();
    if (layout.storedSize > allowed) return fail('QUOTA', `the file takes ${layout.storedSize} bytes, ${allowed} are left for it`);
    const record: StoredFileInfo = { size: layout.storedSize, chunkSize: layout.storedChunkSize, chunkHashes: hashes.map(toBase64url) };
    const begun = await deps.store.begin(deps.fileId, record);
    if (!begun.ok) return fail(begun.error.code, begun.error.message);
    await resumeFrom(record, hashes);
  }

  async function resumeFrom(record: StoredFileInfo, hashes: Uint8Array[]): Promise<void> {
    if (!live()) return;
    info = record;
    digests = hashes;
    scheduler = createChunkScheduler(hashes.length, deps.scheduler, record.chunkSize);
    const held = await deps.store.held(deps.fileId);
    for (const index of held) scheduler.markHeld(index);
    received = [...held].reduce((sum, index) => sum + lengthOf(record, index), 0);
    for (const [peer, claim] of claims) if (claim.chunks === hashes.length) scheduler.setHolder(peer, claim.held);
    claims.clear();
    deps.onProgress();
    pump();
  }

  const download: Download = {
    get phase() {
      return phase;
    },
    get error() {
      return error;
    },
    receivedBytes: () => received,
    totalBytes: () => info?.size ?? deps.layout?.storedSize ?? 0,
    sources: () => scheduler?.activeSources() ?? 0,
    holders: () => scheduler?.holders() ?? claims.size,
    async start() {
      phase = 'downloading';
      if (deps.layout?.chunks === 0) {
        phase = 'complete';
        return deps.onProgress();
      }
      const stored = await deps.store.info(deps.fileId);
      const hashes = stored?.chunkHashes.map(fromBase64url) ?? [];
      // What the store holds is trusted only after its hash list checks out against the signed root again.
      if (stored && hashes.every((h): h is Uint8Array => h !== null) && (await rootOf(hashes)) === deps.root) {
        await resumeFrom(stored, hashes);
      } else if (stored) await deps.store.remove(deps.fileId);
      download.tick();
    },
    opened(port) {
      if (live() && scheduler?.missing() !== 0) port.sendFrame({ type: 'file-query', file: deps.fileId });
    },
    closed(peer) {
      claims.delete(peer);
      if (hashFetch?.peer === peer) hashFetch = null;
      scheduler?.removeHolder(peer);
      askHashes();
      pump();
    },
    onFrame(port, frame) {
      if (!live() || distrusted(port.peerId)) return;
      if (frame.type === 'file-none') {
        if (frame.indexes.length === 0) {
          claims.delete(port.peerId);
          scheduler?.removeHolder(port.peerId);
          if (hashFetch?.peer === port.peerId) hashFetch = null;
          askHashes();
        } else scheduler?.lacks(port.peerId, frame.indexes);
        return pump();
      }
      const held = decodeBitfield(frame.bits, frame.chunks);
      if (!held) return port.strike();
      if (scheduler) {
        if (frame.chunks !== digests.length) return penalize(port);
        scheduler.setHolder(port.peerId, held);
        return pump();
      }
      claims.set(port.peerId, { chunks: frame.chunks, bytes: frame.bytes, chunkSize: frame.chunkSize, held });
      askHashes();
    },
    async onHashes(port, from, page) {
      const fetch = hashFetch;
      if (!live() || !fetch || fetch.peer !== port.peerId || from !== fetch.got.length || from + page.length > fetch.chunks) return port.strike();
      fetch.got.push(...page);
      fetch.askedAt = deps.now();
      if (fetch.got.length < fetch.chunks) {
        port.sendFrame({ type: 'file-hashes-req', file: deps.fileId, from: fetch.got.length, count: Math.min(MAX_HASHES_PER_FRAME, fetch.chunks - fetch.got.length) });
        return;
      }
      const claim = claims.get(port.peerId);
      hashFetch = null;
      // Adopted meanwhile (resumed from the store): the list is moot, and the peer did nothing wrong.
      if (info) return;
      adopting = true;
      let verified = false;
      try {
        verified = (await rootOf(fetch.got)) === deps.root;
        if (verified && claim && !info) await adopt(fetch.got, claim);
      } finally {
        adopting = false;
      }
      if (!verified) penalize(port);
      askHashes();
    },
    async onChunk(port, index, bytes) {
      const taken = scheduler?.take(port.peerId, index) ?? { accepted: false, unsolicited: true };
      if (!taken.accepted) {
        if (!live() || !taken.unsolicited) return;
        // Bytes nobody asked of this peer: a strike, so they stay bounded. A distrusted peer's chunks
        // still in flight were asked for once: it was struck already.
        deps.counters.unsolicitedFrames++;
        return distrusted(port.peerId) ? undefined : port.strike();
      }
      const expected = digests[index];
      // Another length than the layout gives it (a blind keeper's quota rests on that layout): refused
      // unhashed. With the layout from the signed manifest the sender is at fault; a blind keeper's
      // layout is a holder's claim, which may be the lie, so it gives the file up instead of striking.
      if (!info || bytes.length !== lengthOf(info, index)) {
        scheduler?.release(index);
        if (deps.layout) {
          penalize(port);
          return pump();
        }
        deps.counters.badChunks++;
        return fail('BAD_CHUNK', 'chunk sizes contradict the layout holders claimed');
      }
      if (!scheduler || !expected || !sameBytes(await sha256(bytes), expected)) {
        scheduler?.release(index);
        penalize(port);
        return pump();
      }
      if (!live()) return;
      const written = await deps.store.write(deps.fileId, index, bytes);
      if (!written.ok) return fail(written.error.code, written.error.message);
      scheduler?.markHeld(index);
      deps.counters.chunksStored++;
      received += bytes.length;
      lastProgress = deps.now();
      deps.onProgress();
      pump();
    },
    tick() {
      if (!live()) return;
      const now = deps.now();
      if (now - lastQuery >= deps.scheduler.requestTimeoutMs / 3) {
        lastQuery = now;
        for (const port of deps.ports()) if (!distrusted(port.peerId)) port.sendFrame({ type: 'file-query', file: deps.fileId });
      }
      if (hashFetch && now - hashFetch.askedAt > deps.scheduler.requestTimeoutMs) {
        claims.delete(hashFetch.peer);
        hashFetch = null;
      }
      askHashes();
      scheduler?.expire(now);
      if (now - lastProgress > deps.noSourceMs) return fail('NO_SOURCE', 'no peer holding the file answered in time');
      pump();
    },
    stop(next, why) {
      if (phase === 'complete' || phase === 'cancelled' || phase === 'failed') return;
      phase = next;
      error = why;
      deps.onProgress();
    },
  };
  return download;
}
