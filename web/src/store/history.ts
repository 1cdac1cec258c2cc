import type { ChatMessage, CryptoKeyPairHandle, HistoryStore, RoomName } from '@shoal/shared';

/** A position in a room's display order (compareMessages). */
export interface MessageCursor {
  lamport: number;
  id: string;
}

/**
 * What the app needs from persistent history: the mesh's HistoryStore contract plus paged reads for the
 * message log (a room with 10,000 messages paints its last page first and loads older ones on demand).
 */
export interface ChatHistory extends HistoryStore {
  /** The last `limit` messages of the room, oldest first. */
  recent(room: RoomName, limit: number): Promise<ChatMessage[]>;
  /** Up to `limit` messages ordered before `cursor`, oldest first. */
  before(room: RoomName, cursor: MessageCursor, limit: number): Promise<ChatMessage[]>;
  /** Stored rows that failed to parse as ChatMessage and were skipped (corrupt or from an old version). */
  skippedRows(): number;
}

/** Keeps this browser's long-term identity key pair (non-extractable CryptoKeys, stored by structured clone). */
export interface KeyStore {
  /** The stored row as read, undefined when there is none; parse it (parseIdentityRow) before use. */
  load(): Promise<unknown>;
  save(pair: CryptoKeyPairHandle): Promise<void>;
}
