import type { PeerLink } from '@shoal/shared';
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { CreatePeerConnection, PeerConnection, PeerConnectionOptions } from './peer-connection';
import { parsePeerSignal } from './signal-data';

/**
 * Bytes queued in a data channel above which `send` refuses frames. The mesh treats a refused frame like
 * a lost one (history sync repairs it); buffering without bound would grow memory on a stalled link.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

type SimplePeerInstance = InstanceType<typeof SimplePeer>;

/**
 * Adapts a connected simple-peer instance to PeerLink: `send` never throws (simple-peer can throw while
 * `connected` is still true, simple-peer#480), `close` is idempotent, close handlers run once.
 */
export function simplePeerLink(peer: SimplePeerInstance, maxBufferedBytes = MAX_BUFFERED_BYTES): PeerLink {
  const decoder = new TextDecoder();
  const closeHandlers: Array<() => void> = [];
  let closed = false;
  const markClosed = () => {
    if (closed) return;
    closed = true;
    // PeerLink promises asynchronous close handlers, so callers may close from inside a handler.
    queueMicrotask(() => {
      for (const handler of closeHandlers) handler();
    });
  };
  peer.on('close', markClosed);
  // Without an 'error' listener the stream would throw; destroy() follows every error with 'close'.
  peer.on('error', markClosed);
  return {
    send(frame) {
      if (closed || peer.destroyed || !peer.connected) return false;
      if (peer.bufferSize > maxBufferedBytes) return false;
      try {
        peer.send(frame);
        return true;
      } catch {
        return false;
      }
    },
    close() {
      markClosed();
      peer.destroy();
    },
    onMessage(handler) {
      peer.on('data', (data: unknown) => {
        if (closed) return;
        if (typeof data === 'string') handler(data);
        else if (data instanceof Uint8Array) handler(decoder.decode(data));
      });
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
  };
}

/** Creates a data-only WebRTC connection through simple-peer. */
export const createSimplePeerConnection: CreatePeerConnection = (options: PeerConnectionOptions): PeerConnection => {
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: options.trickle ?? true,
    // Always the server's list: simple-peer's default would contact public STUN servers.
    config: { iceServers: options.iceServers },
  });
  let closed = false;
  const closeHandlers: Array<() => void> = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const handler of closeHandlers) handler();
  };
  peer.on('close', finish);
  peer.on('error', finish);
  return {
    signal(data) {
      if (closed || peer.destroyed) return;
      try {
        // As JSON text: @types/simple-peer wrongly types candidates as RTCIceCandidate objects, while
        // simple-peer takes the plain init dictionary (and parses strings itself).
        peer.signal(JSON.stringify(data));
      } catch {
        // simple-peer throws on signal() after destroy races (simple-peer#397); the attempt is over.
        peer.destroy();
      }
    },
    onSignal(handler) {
      peer.on('signal', (data: unknown) => {
        const signal = parsePeerSignal(data);
        if (signal) handler(signal);
      });
    },
    onConnect(handler) {
      peer.once('connect', () => handler(simplePeerLink(peer)));
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
    destroy() {
      peer.destroy();
    },
  };
};
