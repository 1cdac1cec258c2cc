import type { ChatMessage } from '@shoal/shared';

/** localStorage key prefix of outboxes; one key per tab session. */
export const OUTBOX_PREFIX = 'shoal.outbox.';
/** Messages one outbox holds at most (own messages waiting for their IndexedDB commit: a handful). */
export const MAX_OUTBOX_MESSAGES = 64;

type OutboxStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

/**
 * A synchronous safety net for own messages between send and IndexedDB commit. localStorage writes
 * complete before `send` returns, so a message survives a reload or tab close in that window without
 * making the mesh wait for an IndexedDB transaction before flooding it. The next page load of this
 * origin moves whatever is left into IndexedDB.
 */
export interface Outbox {
  /**
   * Holds a message until `remove`. Returns false when it could not (the outbox is full or storage
   * refuses): the caller must then wait for the IndexedDB commit itself, since nothing else keeps it.
   */
  add(message: ChatMessage): boolean;
  remove(id: string): void;
  /** Takes every outbox of this origin (from earlier loads of any tab): valid messages, rows removed. */
  drain(): ChatMessage[];
}

export function createOutbox(storage: OutboxStorage | null, session: string, parse: (row: unknown) => ChatMessage | null): Outbox {
  const key = OUTBOX_PREFIX + session;
  let held: ChatMessage[] = [];
  const save = (): boolean => {
    if (!storage) return false;
    try {
      if (held.length === 0) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(held));
      return true;
    } catch {
      // Quota or disabled storage: the IndexedDB write still happens, only the safety net is missing.
      return false;
    }
  };
  return {
    add(message) {
      // Never evict: a message dropped from here before its commit would be lost to a reload.
      if (held.length >= MAX_OUTBOX_MESSAGES) return false;
      held = [...held, message];
      if (save()) return true;
      held = held.slice(0, -1);
      return false;
    },
    remove(id) {
      const before = held.length;
      held = held.filter((message) => message.id !== id);
      if (held.length !== before) save();
    },
    drain() {
      if (!storage) return [];
      const keys: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const name = storage.key(i);
        if (name?.startsWith(OUTBOX_PREFIX) && name !== key) keys.push(name);
      }
      const found: ChatMessage[] = [];
      for (const name of keys) {
        try {
          const rows: unknown = JSON.parse(storage.getItem(name) ?? '[]');
          if (Array.isArray(rows)) for (const row of rows.slice(0, MAX_OUTBOX_MESSAGES)) {
            const message = parse(row);
            if (message) found.push(message);
          }
        } catch {
          // A corrupt outbox is dropped like a corrupt IndexedDB row.
        }
        storage.removeItem(name);
      }
      return found;
    },
  };
}
