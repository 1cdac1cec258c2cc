/** What the signaling client needs from a WebSocket; `browserSocket` is the real one, tests pass fakes. */
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

export const browserSocket: OpenSocket = (url, handlers) => {
  let socket: WebSocket;
  try {
    socket = new WebSocket(url);
  } catch {
    // A malformed URL throws synchronously; report it as a failed connection like any other.
    queueMicrotask(() => handlers.onClose());
    return { send() {}, close() {} };
  }
  let closed = false;
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => handlers.onMessage(event.data);
  // 'error' is always followed by 'close'; only 'close' is reported.
  socket.onclose = () => {
    if (closed) return;
    closed = true;
    handlers.onClose();
  };
  return {
    send(text) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    close() {
      socket.close();
    },
  };
};
