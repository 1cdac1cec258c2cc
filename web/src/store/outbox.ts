import type { RoomEvent } from '@shoal/shared';

/** localStorage key prefix of outbox entries: `<prefix><tab session>.<message id>`, one key per message. */
export const OUTBOX_PREFIX = 'shoal.outbox.';
/**
 * Own messages one tab keeps waiting for their IndexedDB commit. Typing never comes near it; a scripted
 * burst can, and then `put` waits for the commit instead (the outbox never evicts).
 */
export const MAX_OUTBOX_MESSAGES = 2000;

type OutboxStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/**
 * A synchronous safety net for own messages between send and IndexedDB commit. localStorage writes
 * complete before `send` returns, so a message survives a reload or tab close in that window without
 * making the mesh wait for an IndexedDB transaction before flooding it. The next page load of this
 * origin moves whatever is left into IndexedDB. One key per message keeps add and remove O(1) however
 * many are waiting.
 */
export interface Outbox {
  /**
   * Holds a message until `remove`. Returns false when it could not (the outbox is full or storage
   * refuses): the caller must then wait for the IndexedDB commit itself, since nothing else keeps it.
   */
  add(message: RoomEvent): boolean;
  remove(id: string): void;
  /** Takes every outbox entry of this origin (from earlier loads of any tab): valid messages, keys removed. */
  drain(): RoomEvent[];
}

export function createOutbox(storage: OutboxStorage | null, session: string, parse: (row: unknown) => RoomEvent | null): Outbox {
  const ownPrefix = `${OUTBOX_PREFIX}${session}.`;
  const held = new Set<string>();
  return {
    add(message) {
      if (!storage || held.size >= MAX_OUTBOX_MESSAGES) return false;
      try {
        storage.setItem(ownPrefix + message.id, JSON.stringify(message));
      } catch {
        // Quota or disabled storage: the caller falls back to waiting for the IndexedDB commit.
        return false;
      }
      held.add(message.id);
      return true;
    },
    remove(id) {
      if (held.delete(id)) storage?.removeItem(ownPrefix + id);
    },
    drain() {
      if (!storage) return [];
      const keys: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const name = storage.key(i);
        if (name?.startsWith(OUTBOX_PREFIX) && !name.startsWith(ownPrefix)) keys.push(name);
      }
      const found: RoomEvent[] = [];
      for (const name of keys) {
        try {
          const message = parse(JSON.parse(storage.getItem(name) ?? 'null'));
          if (message) found.push(message);
        } catch {
          // A corrupt entry is dropped like a corrupt IndexedDB row.
        }
        storage.removeItem(name);
      }
      return found;
    },
  };
}
