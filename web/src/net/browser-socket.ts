import type { OpenSocket } from '@shoal/shared/link';

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
