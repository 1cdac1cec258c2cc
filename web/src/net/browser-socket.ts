import type { OpenSocket, SocketHandlers, SocketLike } from '@shoal/shared/link';

export const browserSocket: OpenSocket = (url, handlers) => {
  let socket: WebSocket;
  try {
    socket = new WebSocket(url);
  } catch {
    // A malformed URL throws synchronously; report it as a failed connection like any other.
    queueMicrotask(() => handlers.onClose());
    return { send() {}, close() {} };
  }
  return attachSocket(socket, handlers);
};

/**
 * A WebSocket to the signal server that the entry script opens while the room code still loads: on a
 * loaded machine the TCP and WebSocket handshakes take hundreds of ms (issue 14), and they need nothing
 * from that code. The returned OpenSocket adopts it for the first call that dials the same URL while it
 * is still connecting or open; every other call opens a socket of its own. Private rooms should not use
 * it: their passphrase comes first, and an idle socket is dropped by the server's join timeout.
 */
export function preopenedSocket(url: string): OpenSocket {
  let early: { socket: WebSocket; frames: unknown[] } | null = null;
  try {
    const socket = new WebSocket(url);
    const frames: unknown[] = [];
    // The server speaks only after our join; kept anyway so that nothing is lost before adoption.
    socket.onmessage = (event) => frames.push(event.data);
    early = { socket, frames };
  } catch {
    // A malformed URL: browserSocket reports it when the room dials.
  }
  return (target, handlers) => {
    const claimed = early;
    early = null;
    if (!claimed) return browserSocket(target, handlers);
    const { socket, frames } = claimed;
    if (target !== url || (socket.readyState !== WebSocket.CONNECTING && socket.readyState !== WebSocket.OPEN)) {
      socket.close();
      return browserSocket(target, handlers);
    }
    const attached = attachSocket(socket, handlers);
    // Asynchronously, as for a new socket: the caller only knows its socket once this returns.
    if (socket.readyState === WebSocket.OPEN) {
      queueMicrotask(() => {
        handlers.onOpen();
        for (const frame of frames) handlers.onMessage(frame);
      });
    }
    return attached;
  };
}

function attachSocket(socket: WebSocket, handlers: SocketHandlers): SocketLike {
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
}
