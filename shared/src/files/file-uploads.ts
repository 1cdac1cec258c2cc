import type { PeerId } from '../ids';
import type { Clock } from '../mesh/mesh-api';
import type { FilePort } from '../mesh/file-ports';
import { type BucketRate, createTokenBucket, type TokenBucket } from '../mesh/token-bucket';
import type { FileFrame } from '../protocol/peer-messages';
import type { ChunkStore } from './file-api';
import { encodeBitfield, encodeChunkFrame, encodeHashesFrame } from './file-frames';
import { fromBase64url } from '../crypto/base64url';

/**
 * The serving side: answers `file-query`, `file-hashes-req` and `file-req` from the ChunkStore. Work per
 * link is bounded three ways, so a hostile peer cannot make us read or send without bound: at most
 * `maxQueuedPerLink` chunk requests queued (more is a strike: an honest peer keeps to its window), store
 * lookups (queries, hash lists) through LOOKUP_BUDGET, bytes sent per link through a token bucket, and sends paused while the link's buffer is above
 * `highWaterBytes` (which also keeps chat frames flowing between chunks: the link refuses frames only
 * at a far higher level).
 */
export interface UploadOptions {
  maxQueuedPerLink: number;
  uploadBudget: BucketRate;
  highWaterBytes: number;
  /** Retry delay while a link's buffer is over the high-water mark or its budget is spent. */
  drainPollMs: number;
}

export interface FileUploads {
  opened(port: FilePort): void;
  closed(peer: PeerId): void;
  /** Handles a serving-side frame (query, hashes request, chunk request). */
  onFrame(port: FilePort, frame: Extract<FileFrame, { type: 'file-query' | 'file-hashes-req' | 'file-req' }>): Promise<void>;
  /** Bytes sent in chunk frames so far. */
  sentBytes(): number;
  close(): void;
}

/**
 * Queries and hash-list requests one link may have answered: each reads the store (a keeper's held set of
 * a large file is tens of thousands of rows), so they get a budget of their own, far above an honest
 * downloader's (one query per file every few seconds, one hash request per 7,936 chunks). Past it they
 * go unanswered: the asker retries later, as after a lost frame.
 */
export const LOOKUP_BUDGET: BucketRate = { perSecond: 20, burst: 200 };

interface Uplink {
  port: FilePort;
  queue: Array<{ fileId: string; index: number }>;
  budget: TokenBucket;
  lookups: TokenBucket;
  /** The lookup answers under way, in the order asked (see `answerLookup`). */
  answering: Promise<void>;
  pumping: boolean;
  timer: unknown;
}

export function createFileUploads(deps: { store: ChunkStore; clock: Clock; options: UploadOptions; onError(error: unknown): void }): FileUploads {
  const { store, clock, options } = deps;
  const links = new Map<PeerId, Uplink>();
  let sent = 0;

  async function pump(link: Uplink): Promise<void> {
    if (link.pumping) return;
    link.pumping = true;
    try {
      for (let next = link.queue[0]; next && links.get(link.port.peerId) === link; next = link.queue[0]) {
        if (link.port.bufferedAmount() > options.highWaterBytes || link.budget.level() <= 0) {
          link.timer = clock.setTimeout(() => void pump(link).catch(deps.onError), options.drainPollMs);
          return;
        }
        link.queue.shift();
        const chunk = await store.read(next.fileId, next.index);
        const frame = chunk && encodeChunkFrame(next.fileId, next.index, chunk);
        if (!chunk || !frame) {
          link.port.sendFrame({ type: 'file-none', file: next.fileId, indexes: [next.index] });
          continue;
        }
        // The bucket may go negative by one chunk: it is charged after the fact, bounded by chunk size.
        link.budget.take(Math.min(chunk.length, link.budget.level()));
        if (link.port.sendBytes(frame)) sent += chunk.length;
      }
    } finally {
      link.pumping = false;
    }
  }

  /**
   * Answers a query or hash-list request from the store. Answers leave in the order asked: a lookup begun
   * while a file was still being stored (its answer: nothing held) could otherwise finish after the fuller
   * answer `share()` sends once it is stored, and make the reader drop the author as a holder (and strike
   * it for the hash list it then sent unasked).
   */
  async function answerLookup(port: FilePort, frame: Extract<FileFrame, { type: 'file-query' | 'file-hashes-req' }>): Promise<void> {
    const info = await store.info(frame.file);
    if (frame.type === 'file-query') {
      const held = info ? await store.held(frame.file) : new Set<number>();
      if (!info || held.size === 0) port.sendFrame({ type: 'file-none', file: frame.file, indexes: [] });
      else port.sendFrame({ type: 'file-have', file: frame.file, chunks: info.chunkHashes.length, bits: encodeBitfield(held, info.chunkHashes.length), bytes: info.size, chunkSize: info.chunkSize });
      return;
    }
    // A hash-list request: answered at once (it is small next to chunks), or refused while the link is busy.
    const stored = (info?.chunkHashes.slice(frame.from, frame.from + frame.count) ?? []).map(fromBase64url);
    const digests = stored.filter((d): d is Uint8Array => d !== null);
    const answer = digests.length > 0 && digests.length === stored.length ? encodeHashesFrame(frame.file, frame.from, digests) : null;
    if (!answer || port.bufferedAmount() > options.highWaterBytes || !port.sendBytes(answer)) port.sendFrame({ type: 'file-none', file: frame.file, indexes: [] });
  }

  return {
    opened(port) {
      const budget = createTokenBucket(options.uploadBudget, clock.now);
      links.set(port.peerId, { port, queue: [], budget, lookups: createTokenBucket(LOOKUP_BUDGET, clock.now), answering: Promise.resolve(), pumping: false, timer: null });
    },
    closed(peer) {
      const link = links.get(peer);
      if (link) clock.clearTimeout(link.timer);
      links.delete(peer);
    },
    async onFrame(port, frame) {
      const link = links.get(port.peerId);
      if (!link) return;
      if (frame.type === 'file-req') {
        if (link.queue.length + frame.indexes.length > options.maxQueuedPerLink) return port.strike();
        for (const index of frame.indexes) link.queue.push({ fileId: frame.file, index });
        return pump(link);
      }
      if (!link.lookups.take()) return;
      const answered = link.answering.then(() => answerLookup(port, frame));
      link.answering = answered.catch(() => undefined);
      return answered;
    },
    sentBytes: () => sent,
    close() {
      for (const peer of [...links.keys()]) this.closed(peer);
    },
  };
}
