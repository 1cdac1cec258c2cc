import type { OpenSocket } from '@shoal/shared/link';
import { MAX_SIGNAL_FRAME_BYTES } from '@shoal/shared';
import WebSocket from 'ws';

/** The signaling client's socket over the `ws` package (Node 20 has no stable global WebSocket). */
export const nodeSocket: OpenSocket = (url, handlers) => {
  let socket: WebSocket;
  try {
    // The server's frames are capped like its own (MAX_SIGNAL_FRAME_BYTES): a hostile server cannot balloon us.
    socket = new WebSocket(url, { maxPayload: MAX_SIGNAL_FRAME_BYTES, handshakeTimeout: 10_000 });
  } catch {
    queueMicrotask(() => handlers.onClose());
    return { send() {}, close() {} };
  }
  socket.on('open', () => handlers.onOpen());
  socket.on('message', (data, isBinary) => handlers.onMessage(isBinary ? data : data.toString('utf8')));
  // An 'error' listener keeps a refused connection from crashing the process; ws then emits 'close'
  // exactly once, whether the socket never opened or closed later.
  socket.on('error', () => undefined);
  socket.once('close', handlers.onClose);
  return {
    send(text) {
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
    },
    close() {
      // terminate, not close: no closing handshake to wait for when the process is leaving.
      socket.terminate();
    },
  };
};
