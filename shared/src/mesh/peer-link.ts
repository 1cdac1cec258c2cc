/**
 * The transport seam of the mesh: one bidirectional, ordered, reliable channel to one remote peer that
 * carries text frames (the JSON protocol) and binary frames (file chunks, see shared/src/files).
 * WebRTC data channels (shared/src/link/peer-link-adapter.ts) and in-memory pairs (memory-link.ts)
 * implement it; the mesh core never knows which. shared/src/testing/peer-link-contract.ts is the suite
 * every implementation passes.
 */
export interface PeerLink {
  /** Sends one text frame. Returns false when the link is closed or its buffer is full (the frame is dropped). */
  send(frame: string): boolean;
  /**
   * Sends one binary frame (never base64 inside JSON: file chunks cost their size on the wire). False
   * when closed or over the buffer cap. Senders of bulk bytes watch `bufferedAmount` and pause well
   * below the cap, so text frames still get through between chunks.
   */
  sendBytes(bytes: Uint8Array): boolean;
  /** Bytes accepted by send/sendBytes and not yet handed to the network (backpressure for bulk senders). */
  bufferedAmount(): number;
  /** Closes the link; onClose handlers run once, asynchronously. Idempotent. */
  close(): void;
  /** Registers the handler for inbound text frames (untrusted text; the mesh parses it). */
  onMessage(handler: (frame: string) => void): void;
  /** Registers the handler for inbound binary frames (untrusted bytes; shared/src/files parses them). */
  onBytes(handler: (bytes: Uint8Array) => void): void;
  /** Registers the handler run once when the link closes, from either side. */
  onClose(handler: () => void): void;
}
