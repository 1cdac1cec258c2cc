import { AUTHOR_MESSAGE_BUDGET, AUTHOR_STORAGE_BUDGET, AUTHOR_THROTTLE_MEMORY_MS } from '../protocol/limits';
import { remember } from './bounded-maps';
import { type BucketRate, createTokenBucket, type TokenBucket } from './token-bucket';

/**
 * Per-author rate and storage budgets for live chat messages, keyed by any string (the mesh uses the
 * author's signing key). Only that key, the message's byte size and the clock matter, so this holds
 * whatever shape a chat message takes on the wire.
 */
export interface AuthorBudget<A extends string = string> {
  /**
   * Charges one verified message of `author` (`bytes`: its encoded size). False when the author is
   * over budget: the message must not be delivered, stored or forwarded.
   */
  admit(author: A, bytes: number): boolean;
  /**
   * The same for a message from history sync: charged only when the author was throttled live within
   * AUTHOR_THROTTLE_MEMORY_MS (otherwise admitted free: history is bounded per link by the pull budget).
   */
  admitHistory(author: A, bytes: number): boolean;
}

export interface AuthorBudgetDeps<A extends string = string> {
  now(): number;
  /** Authors tracked (least recently active forgotten first; a forgotten author starts afresh). */
  maxAuthors: number;
  /** An author went over budget; called once per episode with when it will be admitted again. */
  onThrottled(author: A, until: number): void;
  messages?: BucketRate;
  storage?: BucketRate;
}

interface AuthorState {
  messages: TokenBucket;
  storage: TokenBucket;
  throttled: boolean;
  /** When it was last refused (clock ms); null when never. */
  refusedAt: number | null;
}

export function createAuthorBudget<A extends string>(deps: AuthorBudgetDeps<A>): AuthorBudget<A> {
  const authors = new Map<A, AuthorState>();
  const messageRate = deps.messages ?? AUTHOR_MESSAGE_BUDGET;
  const storageRate = deps.storage ?? AUTHOR_STORAGE_BUDGET;
  function admit(author: A, bytes: number): boolean {
    const state = authors.get(author) ?? {
      messages: createTokenBucket(messageRate, deps.now), storage: createTokenBucket(storageRate, deps.now), throttled: false, refusedAt: null,
    };
    remember(authors, author, state, deps.maxAuthors);
    // Checked before taking, so a dropped message costs the author nothing more.
    const size = Math.min(bytes, storageRate.burst);
    if (state.messages.level() >= 1 && state.storage.level() >= size) {
      state.messages.take(1);
      state.storage.take(size);
      state.throttled = false;
      return true;
    }
    state.refusedAt = deps.now();
    if (!state.throttled) {
      state.throttled = true;
      deps.onThrottled(author, Math.max(state.messages.readyAt(1), state.storage.readyAt(size)));
    }
    return false;
  }
  return {
    admit,
    admitHistory(author, bytes) {
      const refusedAt = authors.get(author)?.refusedAt ?? null;
      return refusedAt === null || deps.now() - refusedAt > AUTHOR_THROTTLE_MEMORY_MS || admit(author, bytes);
    },
  };
}
