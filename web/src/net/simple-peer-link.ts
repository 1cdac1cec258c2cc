import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { CreatePeerConnection, PeerConnection, PeerConnectionOptions } from '@shoal/shared/link';
import { peerLinkOf } from './peer-link-adapter';
import { parsePeerSignal } from '@shoal/shared/link';

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
      peer.once('connect', () => handler(peerLinkOf(peer)));
    },
    onClose(handler) {
      closeHandlers.push(handler);
    },
    destroy() {
      peer.destroy();
    },
  };
};
