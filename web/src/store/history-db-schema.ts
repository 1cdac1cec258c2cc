import type { CryptoKeyPairHandle, RoomEvent } from '@shoal/shared';
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

/** Schema version; bump it and extend `upgradeHistoryDb` for any change to stores or indexes. */
export const HISTORY_DB_VERSION = 2;
/** Default database name; one per origin, shared by every tab and room. */
export const HISTORY_DB_NAME = 'shoal';

export interface ChatDB extends DBSchema {
  messages: {
    key: string;
    /** What we write; what we read is whatever an older version or another tab wrote, so it is re-parsed. */
    value: RoomEvent;
    indexes: {
      /** Display order of a room: (room, lamport, id). */
      order: [string, number, string];
      /** Per-author streams of a room for version vectors: (room, author, seq). */
      stream: [string, string, number];
      /** Events acting on another (reactions, edits, deletes): (room, target). v1 rows have none. */
      target: [string, string];
      /** v2 events by kind, e.g. a room's deletes: (room, kind). v1 rows have none. */
      kind: [string, string];
    };
  };
  keys: { key: string; value: CryptoKeyPairHandle };
  /**
   * Per room and author: the highest seq given up to the room's retention limit. Those seqs count as
   * held, so history sync does not fetch back what was dropped on purpose.
   */
  floors: { key: [string, string]; value: { room: string; author: string; seq: number } };
}

export type HistoryDatabase = IDBPDatabase<ChatDB>;

/** Rooms sort as the first key part; every key of `room` lies in [room] .. [room, []] (arrays sort last). */
export const roomRange = (room: string) => IDBKeyRange.bound([room], [room, []]);

export function upgradeHistoryDb(
  database: HistoryDatabase,
  oldVersion: number,
  transaction: IDBPTransaction<ChatDB, StoreNames<ChatDB>[], 'versionchange'>,
): void {
  if (oldVersion < 1) {
    const messages = database.createObjectStore('messages', { keyPath: 'id' });
    messages.createIndex('order', ['room', 'lamport', 'id']);
    messages.createIndex('stream', ['room', 'author', 'seq']);
    database.createObjectStore('keys');
  }
  // Version 2 (protocol v2 events): v1 rows stay as they are, readable and syncable with their v1
  // signatures; new are the indexes for edits, deletes and reactions and by kind, and the retention floors.
  if (oldVersion < 2) {
    transaction.objectStore('messages').createIndex('target', ['room', 'target']);
    transaction.objectStore('messages').createIndex('kind', ['room', 'kind']);
    database.createObjectStore('floors', { keyPath: ['room', 'author'] });
  }
}
