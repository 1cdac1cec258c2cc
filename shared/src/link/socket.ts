/** What the signaling client needs from a WebSocket; `browserSocket` (web) is the real one, tests pass fakes. */
export interface SocketHandlers {
  onOpen(): void;
  /** A frame; text for text frames, anything else for binary ones (which the client rejects). */
  onMessage(data: unknown): void;
  /** Runs once, whether the socket failed to open or closed later. */
  onClose(): void;
}
export interface SocketLike {
  send(text: string): void;
  close(): void;
}
export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketLike;
