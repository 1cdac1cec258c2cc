import type { OpenSocket, SocketHandlers } from '@shoal/shared/link';

export interface FakeSocket {
  url: string;
  sent: unknown[];
  closed: boolean;
  handlers: SocketHandlers;
  /** Server side: accept the connection. */
  open(): void;
  /** Server side: send a frame (objects are JSON-encoded). */
  deliver(frame: unknown): void;
  /** Server side: drop the connection. */
  drop(): void;
}

/** An OpenSocket that records every dialled socket so tests can play the server. */
export function createFakeSockets(): { openSocket: OpenSocket; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  const openSocket: OpenSocket = (url, handlers) => {
    const socket: FakeSocket = {
      url,
      sent: [],
      closed: false,
      handlers,
      open: () => handlers.onOpen(),
      deliver: (frame) => handlers.onMessage(typeof frame === 'string' ? frame : JSON.stringify(frame)),
      drop() {
        if (socket.closed) return;
        socket.closed = true;
        handlers.onClose();
      },
    };
    sockets.push(socket);
    return {
      send: (text) => void socket.sent.push(JSON.parse(text)),
      close: () => socket.drop(),
    };
  };
  return { openSocket, sockets };
}
