import type { RoomEvent, CryptoKeyPairHandle, HistoryStore, RoomName } from '@shoal/shared';

/** A position in a room's display order (compareEvents). */
export interface MessageCursor {
  lamport: number;
  id: string;
}

/**
 * What the app needs from persistent history: the mesh's HistoryStore contract plus paged reads for the
 * message log (a room with 10,000 messages paints its last page first and loads older ones on demand).
 */
export interface ChatHistory extends HistoryStore {
  /** Up to `limit` messages ordered before `cursor`, oldest first. */
  before(room: RoomName, cursor: MessageCursor, limit: number): Promise<RoomEvent[]>;
  /** Stored rows that failed to parse as RoomEvent and were skipped (corrupt or from an old version). */
  skippedRows(): number;
  /** Whether older events of the room were dropped here for the retention limit. */
  droppedOlder(room: RoomName): Promise<boolean>;
  /** Trims the room to its retention limits now (it also happens by itself after writes). */
  trim(room: RoomName): Promise<void>;
}

/** Keeps this browser's long-term identity key pair (non-extractable CryptoKeys, stored by structured clone). */
export interface KeyStore {
  /** The stored row as read, undefined when there is none; parse it (parseIdentityRow) before use. */
  load(): Promise<unknown>;
  save(pair: CryptoKeyPairHandle): Promise<void>;
}
