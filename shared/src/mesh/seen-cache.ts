import type { Clock } from './mesh-api';

/** The set of message ids already handled, bounded by count AND age (libp2p floodsub's cache idea). */
export interface SeenCache {
  has(id: string): boolean;
  add(id: string): void;
  /** Unmarks an id whose intake failed, so a later copy or announcement of it is not ignored. */
  forget(id: string): void;
  size(): number;
}

export interface SeenCacheOptions {
  /** Most ids kept; the oldest is evicted first. */
  maxEntries: number;
  /** Age after which an id is forgotten, ms. */
  ttlMs: number;
  clock: Pick<Clock, 'now'>;
}

/**
 * Insertion-ordered Map: the oldest entries are always first, so both the count bound and the age
 * bound evict from the front in O(1) amortized. Forgetting an id is safe: the history store still
 * de-duplicates by id, the cache only saves work (verification, storage round trips).
 */
export function createSeenCache({ maxEntries, ttlMs, clock }: SeenCacheOptions): SeenCache {
  const added = new Map<string, number>();

  const expire = (): void => {
    const cutoff = clock.now() - ttlMs;
    for (const [id, at] of added) {
      if (at > cutoff && added.size <= maxEntries) break;
      added.delete(id);
    }
  };

  return {
    has(id) {
      expire();
      return added.has(id);
    },
    add(id) {
      added.delete(id);
      added.set(id, clock.now());
      expire();
    },
    forget(id) {
      added.delete(id);
    },
    size() {
      expire();
      return added.size;
    },
  };
}
