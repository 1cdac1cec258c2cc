import { utf8Length } from '../crypto/web-crypto';
import { HISTORY_ANSWER_BUDGET, HISTORY_PULL_BUDGET, MAX_PEER_FRAME_BYTES, MAX_VECTOR_ENTRIES } from '../protocol/limits';
import type { RoomName } from '../protocol/signal-messages';
import type { HeldSeqs } from './held-seqs';
import type { RoomEvent, HistoryStore, MeshCounters, VersionVector } from './mesh-api';
import { type IntakeOutcome, relayAtFault } from './message-intake';
import { type BucketRate, createTokenBucket, type TokenBucket } from './token-bucket';

/**
 * Pull-based anti-entropy over version vectors (per author session: highest contiguous seq held).
 * `history-req` carries the requester's vector; the answer is one `history-batch` of what it lacks,
 * oldest first, cut by count and bytes. With `more`, the requester asks again with its updated vector,
 * so at most one batch per link is in flight (natural back-pressure, bounded memory).
 * A request also advertises: an answerer that sees the requester holds more than itself asks back.
 * A peer that gained messages through sync asks its other links in turn, so a healed partition
 * spreads through a partial mesh.
 * Budgets per link: answers we send are bounded in bytes per time (HISTORY_ANSWER_BUDGET), what we
 * pull in messages per time (HISTORY_PULL_BUDGET, which also bounds one sync round); a request says
 * how many messages it wants (`limit`) and a batch with more, or one we did not ask for, is dropped.
 */
export interface HistorySync<S> {
  /** A link just authenticated: ask it for what we lack. */
  start(session: S): Promise<void>;
  /** `limit`: most messages the requester wants (default: our batch size). */
  onRequest(session: S, remote: VersionVector, held?: HeldSeqs, limit?: number): Promise<void>;
  /** Periodic anti-entropy: asks one link again, catching what a flood lost on a dying link. */
  poll(session: S): Promise<void>;
  onBatch(session: S, messages: RoomEvent[], more: boolean): Promise<void>;
  forget(session: S): void;
}

export interface HistorySyncDeps<S> {
  room: RoomName;
  store: HistoryStore;
  counters: MeshCounters;
  /** Messages per batch (≤ MAX_HISTORY_BATCH). */
  batchSize: number;
  /** Newest events sent first to a requester far behind (MeshOptions.historyNewestFirst); 0 = off. */
  newestFirst: number;
  /** `held` is omitted when empty; `limit` when it is the full batch size. */
  sendRequest(session: S, vector: VersionVector, held: HeldSeqs | undefined, limit: number | undefined): void;
  /** Seqs this peer holds above `vector`'s marks. */
  heldAbove(vector: VersionVector): HeldSeqs;
  sendBatch(session: S, messages: RoomEvent[], more: boolean): void;
  /** The intake pipeline for a whole batch; outcomes in batch order. */
  /** Stores what a batch from `session` brought, outcomes in the batch's order. */
  acceptAll(messages: readonly RoomEvent[], session: S): Promise<IntakeOutcome[]>;
  /** Authenticated sessions, to spread gains. */
  openSessions(): S[];
  strike(session: S): void;
  now(): number;
  /** Bytes of answers per link; default HISTORY_ANSWER_BUDGET. */
  answerBudget?: BucketRate;
  /** Messages pulled per link; default HISTORY_PULL_BUDGET. */
  pullBudget?: BucketRate;
}

interface LinkSync {
  /** Messages asked for by the request in flight; null when none is. */
  asked: number | null;
  gained: number;
  /** The newest-first batch went out to this requester (once per session). */
  newestSent: boolean;
  /** Batches in a row that brought nothing new. */
  fruitless: number;
  answer: TokenBucket;
  pull: TokenBucket;
}

/** Batches in a row that brought nothing new (despite `more`) before a requester stops asking. */
const MAX_FRUITLESS_BATCHES = 2;

/** Room left in a batch frame for its envelope (`{"type":"history-batch","messages":[...],"more":false}`). */
const BATCH_ENVELOPE_BYTES = 128;

export function createHistorySync<S>(deps: HistorySyncDeps<S>): HistorySync<S> {
  // Only sessions between start() and forget() have state, so a closed link never leaves an entry.
  const state = new Map<S, LinkSync>();
  const bucket = (rate: BucketRate): TokenBucket => createTokenBucket(rate, deps.now);

  /**
   * Asks `session` for what we lack. With `incoming` (a batch not yet accepted), asks as if it were:
   * the answerer looks up and sends the next batch while we verify this one. Skipped (false) when
   * the batch moves no mark, since the answer would repeat it.
   */
  async function request(session: S, incoming: readonly RoomEvent[] = []): Promise<boolean> {
    const st = state.get(session);
    if (!st || st.asked !== null) return false;
    // A peer that keeps answering `more` with fresh messages is asked again only within its budget.
    const limit = Math.min(deps.batchSize, Math.floor(st.pull.level()));
    if (limit < 1) {
      deps.counters.historyPullsLimited++;
      return false;
    }
    st.asked = limit;
    const vector = { ...(await deps.store.vector(deps.room)) };
    if (incoming.length > 0 && !advance(vector, incoming)) {
      st.asked = null;
      return false;
    }
    const sent = truncate(vector);
    const held = deps.heldAbove(sent);
    deps.sendRequest(session, sent, Object.keys(held).length > 0 ? held : undefined, limit < deps.batchSize ? limit : undefined);
    return true;
  }

  return {
    async start(session) {
      state.set(session, {
        asked: null, gained: 0, newestSent: false, fruitless: 0, answer: bucket(deps.answerBudget ?? HISTORY_ANSWER_BUDGET), pull: bucket(deps.pullBudget ?? HISTORY_PULL_BUDGET),
      });
      await request(session);
    },
    async poll(session) {
      await request(session);
    },
    async onRequest(session, remote, held, limit) {
      const st = state.get(session);
      if (!st) return;
      const size = Math.min(deps.batchSize, limit ?? deps.batchSize);
      const found = await deps.store.missingFrom(deps.room, remote, size + 1);
      const scanned = found.slice(0, size);
      const skip = new Map(Object.entries(held ?? {}).map(([author, seqs]) => [author, new Set(seqs)]));
      // Far behind and holding nothing above its marks: a fresh or returning peer. Its newest events come
      // first so it can show the room at once; its next request lists them as held, and the rest follows
      // oldest first without them (see `held`). Once per session: a peer that already held them (its held
      // list forgets on reload) gains nothing, stops, and its next request goes oldest first.
      let candidates = scanned;
      if (!st.newestSent && deps.newestFirst > 0 && found.length > size && held === undefined) {
        st.newestSent = true;
        const newest = (await deps.store.recent(deps.room, Math.min(deps.newestFirst, size))).filter((m) => m.seq > (remote[m.author] ?? 0));
        if (newest.length > 0) candidates = newest;
      }
      const wanted = skip.size === 0 ? candidates : candidates.filter((m) => !skip.get(m.author)?.has(m.seq));
      // A requester asking again and again gets what its budget allows, then empty answers (more: false,
      // so it does not ask straight back) until the budget refilled.
      const full = fitBatch(wanted, MAX_PEER_FRAME_BYTES);
      const limited = full.batch.length > 0 && full.bytes > st.answer.level();
      const { batch, bytes } = limited ? fitBatch(wanted, st.answer.level()) : full;
      if (limited) deps.counters.historyAnswersLimited++;
      st.answer.take(Math.min(bytes, st.answer.level()));
      deps.counters.historyMessagesSent += batch.length;
      const rest = candidates !== scanned || found.length > scanned.length || wanted.length > batch.length;
      deps.sendBatch(session, batch, !limited && rest);
      if (remoteHasMore(remote, await deps.store.vector(deps.room))) await request(session);
    },
    async onBatch(session, messages, more) {
      const st = state.get(session);
      if (!st) return;
      if (st.asked === null || messages.length > st.asked) {
        // Unsolicited history could push unbounded data at us; only answers within what we asked for
        // are accepted, and their `more` makes us ask again only within the pull budget.
        deps.counters.unsolicitedBatchesDropped++;
        st.asked = null;
        deps.strike(session);
        return;
      }
      st.asked = null;
      st.pull.take(Math.min(messages.length, st.pull.level()));
      // Frames of a link are handled in order, so the next batch waits in the queue until this one is done.
      if (more) await request(session, messages);
      let gained = 0;
      deps.counters.historyMessagesReceived += messages.length;
      for (const outcome of await deps.acceptAll(messages, session)) {
        if (outcome === 'new') gained++;
        // An honest peer verified what it stored; a badly signed one in its answer is its fault.
        else if (relayAtFault(outcome)) deps.strike(session);
      }
      st.gained += gained;
      st.fruitless = gained > 0 ? 0 : st.fruitless + 1;
      // No progress despite `more`, twice in a row, means the answerer has gaps we can't fill: stop
      // instead of looping. Once is allowed: a newest-first batch can hold only what we kept from before
      // this session (see onRequest), and the answer after it goes oldest first.
      if (more && st.fruitless < MAX_FRUITLESS_BATCHES) {
        await request(session);
        return;
      }
      if (st.gained > 0) {
        st.gained = 0;
        for (const other of deps.openSessions()) if (other !== session) await request(other);
      }
    },
    forget(session) {
      state.delete(session);
    },
  };
}

/** Raises each author's contiguous mark over the seqs in `messages`; true when one moved. */
function advance(vector: VersionVector, messages: readonly RoomEvent[]): boolean {
  const seqs = new Map<string, Set<number>>();
  for (const m of messages) {
    const set = seqs.get(m.author) ?? new Set<number>();
    seqs.set(m.author, set);
    set.add(m.seq);
  }
  let moved = false;
  for (const [author, held] of seqs) {
    let mark = vector[author] ?? 0;
    while (held.has(mark + 1)) mark++;
    if (mark > (vector[author] ?? 0)) {
      vector[author] = mark;
      moved = true;
    }
  }
  return moved;
}

function remoteHasMore(remote: VersionVector, local: VersionVector): boolean {
  for (const author in remote) if ((remote[author] ?? 0) > (local[author] ?? 0)) return true;
  return false;
}

/** Keeps the vector under the wire cap; a dropped author is merely re-sent to us (and de-duplicated). */
function truncate(vector: VersionVector): VersionVector {
  const authors = Object.keys(vector);
  if (authors.length <= MAX_VECTOR_ENTRIES) return vector;
  const out: VersionVector = {};
  for (const author of authors.slice(0, MAX_VECTOR_ENTRIES)) out[author] = vector[author] ?? 0;
  return out;
}

/**
 * The longest prefix whose frame stays under `maxBytes` (≤ MAX_PEER_FRAME_BYTES, which any one message
 * fits, so a full allowance always carries at least one), with the frame's approximate size.
 */
function fitBatch(messages: RoomEvent[], maxBytes: number): { batch: RoomEvent[]; bytes: number } {
  let bytes = BATCH_ENVELOPE_BYTES;
  for (let i = 0; i < messages.length; i++) {
    const next = bytes + nextSize(messages, i);
    if (next > maxBytes) return { batch: messages.slice(0, i), bytes };
    bytes = next;
  }
  return { batch: messages, bytes };
}

/** Encoded size of messages[i] inside a batch (0 past the end). */
function nextSize(messages: readonly RoomEvent[], i: number): number {
  const m = messages[i];
  return m === undefined ? 0 : utf8Length(JSON.stringify(m)) + 1;
}
