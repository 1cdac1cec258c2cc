import type { RoomEvent, HistoryStore } from './mesh-api';
import { MeshError } from './mesh-errors';

/**
 * Stores the peer's own messages off the send path: `mesh.send` floods a message as soon as it is
 * signed and lets this write it in parallel. A failed write is reported and retried (on `retry`, i.e.
 * every mesh tick) instead of dropped: the message is already in the seen cache, so no echo or history
 * batch would ever bring it back into our store.
 */
export interface OwnWrites {
  /** Starts the write now; resolves once it settled (stored, or failed and queued for retry). Never rejects. */
  write(message: RoomEvent): Promise<void>;
  /** Tries the failed writes again, oldest first. */
  retry(): Promise<void>;
  /** Failed writes waiting for a retry. */
  pending(): number;
}

export interface OwnWritesDeps {
  store: HistoryStore;
  /** Gets a MeshError STORE_FAILED (its `cause` is the store's error) for each failed attempt. */
  onError(error: unknown): void;
  /** Failed writes kept for retry; past it the oldest is given up (reported as STORE_FAILED too). Default 1,000. */
  maxPending?: number;
}

export function createOwnWrites(deps: OwnWritesDeps): OwnWrites {
  const failed = new Map<string, RoomEvent>();
  const maxPending = deps.maxPending ?? 1000;
  let retrying = false;

  const report = (message: RoomEvent, cause: unknown, what: string): void =>
    deps.onError(new MeshError('STORE_FAILED', `${what} own message ${message.id}`, { cause }));

  async function attempt(message: RoomEvent): Promise<void> {
    try {
      await deps.store.put(message);
      failed.delete(message.id);
    } catch (cause) {
      report(message, cause, 'could not store');
      if (failed.has(message.id)) return;
      failed.set(message.id, message);
      if (failed.size <= maxPending) return;
      const [oldestId, oldest] = failed.entries().next().value ?? [];
      if (oldestId === undefined || oldest === undefined) return;
      failed.delete(oldestId);
      report(oldest, cause, 'gave up storing');
    }
  }

  return {
    write: attempt,
    async retry() {
      if (retrying) return;
      retrying = true;
      try {
        for (const message of [...failed.values()]) await attempt(message);
      } finally {
        retrying = false;
      }
    },
    pending: () => failed.size,
  };
}
