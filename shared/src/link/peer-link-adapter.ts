import { utf8Decode } from '../crypto/web-crypto';
import type { PeerLink } from '../mesh/peer-link';

/**
 * Bytes queued in a data channel above which `send` refuses frames. The mesh treats a refused frame like
 * a lost one (history sync repairs it); buffering without bound would grow memory on a stalled link.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * First byte of a binary frame on the wire. simple-peer hands every inbound message over as bytes,
 * text frames included, so binary frames need a tag no text frame can start with: 0xFF never occurs
 * in UTF-8 at all.
 */
export const BINARY_FRAME_TAG = 0xff;

/**
 * The part of a simple-peer instance the adapter uses. Declared here so shared needs no simple-peer import:
 * Node passes simple-peer with a `wrtc` implementation, the browser a data channel dressed the same way
 * (web/src/net/native-peer-connection.ts).
 */
export interface DataPeer {
  readonly connected: boolean;
  readonly destroyed: boolean;
  /** Bytes queued in the data channel. */
  readonly bufferSize: number;
  send(data: string | Uint8Array): void;
  destroy(): void;
  on(event: 'data' | 'close' | 'error', listener: (payload: unknown) => void): unknown;
}

/**
 * Adapts a connected simple-peer instance (or a DataPeer like it) to PeerLink: `send` never throws (simple-peer can throw while
 * `connected` is still true, simple-peer#480), `close` is idempotent, close handlers run once.
 */
export function peerLinkOf(peer: DataPeer, maxBufferedBytes = MAX_BUFFERED_BYTES): PeerLink {
  const closeHandlers: Array<() => void> = [];
  let closed = false;
  const markClosed = () => {
    if (closed) return;
    closed = true;
    // PeerLink promises asynchronous close handlers, so callers may close from inside a handler.
    void Promise.resolve().then(() => {
      for (const handler of closeHandlers) handler();
    });
  };
  peer.on('close', markClosed);
  // Without an 'error' listener the stream would throw; destroy() follows every error with 'close'.
  peer.on('error', markClosed);
  let onMessage: ((frame: string) => void) | null = null;
  let onBytes: ((bytes: Uint8Array) => void) | null = null;
  // One listener for both kinds of frame, registered at once: a binary frame must reach onBytes even
  // when no text handler was set, and a text handler set twice replaces the first (as memory links do).
  peer.on('data', (data) => {
    if (closed) return;
    if (typeof data === 'string') onMessage?.(data);
    else if (data instanceof Uint8Array && data[0] === BINARY_FRAME_TAG) onBytes?.(data.subarray(1));
    else if (data instanceof Uint8Array) {
      // Invalid UTF-8 is dropped here rather than turned into replacement characters the parser would see.
      const text = utf8Decode(data);
      if (text !== null) onMessage?.(text);
    }
  });
  const transmit = (data: string | Uint8Array): boolean => {
    if (closed || peer.destroyed || !peer.connected) return false;
    if (peer.bufferSize > maxBufferedBytes) return false;
    try {
      peer.send(data);
      return true;
    } catch {
      return false;
    }
  };
  return {
    send: (frame) => transmit(frame),
    sendBytes(bytes) {
      const tagged = new Uint8Array(bytes.length + 1);
      tagged[0] = BINARY_FRAME_TAG;
      tagged.set(bytes, 1);
      return transmit(tagged);
    },
    bufferedAmount: () => peer.bufferSize,
    onBytes(handler) {
      onBytes = handler;
    },
    close() {
      markClosed();
      peer.destroy();
    },
    onMessage(handler) {
      onMessage = handler;
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
  };
}
