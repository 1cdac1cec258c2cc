import type { IceServer } from '../protocol/signal-messages';
import type { CreatePeerConnection, PeerConnection, PeerConnectionOptions } from './peer-connection';
import { type DataPeer, peerLinkOf } from './peer-link-adapter';
import { parsePeerSignal } from './signal-data';

/** What a simple-peer instance offers beyond the adapter's DataPeer: signalling and the connect event. */
export interface SignallingDataPeer extends DataPeer {
  signal(data: string): void;
  on(event: 'data' | 'close' | 'error' | 'signal', listener: (payload: unknown) => void): unknown;
  once(event: 'connect', listener: () => void): unknown;
}

/** The options a data-only simple-peer needs; the caller adds its WebRTC implementation (Node: `wrtc`). */
export interface DataPeerInit {
  initiator: boolean;
  trickle: boolean;
  config: { iceServers: IceServer[] };
}

/**
 * A CreatePeerConnection over simple-peer (or anything with its API). The browser passes its bundled
 * simple-peer; the Node peer passes simple-peer with `wrtc`. This is the one place that turns a
 * simple-peer instance into the connector's PeerConnection, for both.
 */
export function dataPeerConnections(newPeer: (init: DataPeerInit) => SignallingDataPeer): CreatePeerConnection {
  return (options: PeerConnectionOptions): PeerConnection => {
    const peer = newPeer({
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
}
