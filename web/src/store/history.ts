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
}

/** Keeps this browser's long-term identity key pair (non-extractable CryptoKeys, stored by structured clone). */
export interface KeyStore {
  load(): Promise<CryptoKeyPairHandle | null>;
  save(pair: CryptoKeyPairHandle): Promise<void>;
}
