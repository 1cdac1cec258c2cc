/**
 * The transport seam of the mesh: one bidirectional, ordered, reliable text channel to one remote peer.
 * WebRTC data channels (peer-link-adapter.ts) and in-memory pairs (memory-link.ts)
 * implement it; the mesh core never knows which.
 */
export interface PeerLink {
  /** Sends one frame. Returns false when the link is closed or its buffer is full (the frame is dropped). */
  send(frame: string): boolean;
  /** Closes the link; onClose handlers run once, asynchronously. Idempotent. */
  close(): void;
  /** Registers the handler for inbound frames (untrusted text; the mesh parses it). */
  onMessage(handler: (frame: string) => void): void;
  /** Registers the handler run once when the link closes, from either side. */
  onClose(handler: () => void): void;
}
