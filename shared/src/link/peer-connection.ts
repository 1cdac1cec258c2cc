import type { PeerLink } from '../mesh/peer-link';
import type { IceServer } from '../protocol/signal-messages';
import type { PeerSignal } from './signal-data';

/**
 * One WebRTC connection attempt to one remote peer, as the connector sees it. The browser's is
 * web/src/net/native-peer-connection.ts, Node's data-peer-connection.ts over simple-peer; tests use a fake. Once connected it yields a PeerLink for the mesh.
 */
export interface PeerConnection {
  /** Feeds a validated signal from the remote side. Never throws. */
  signal(data: PeerSignal): void;
  /** Outbound signals (offer, answer, candidates) to relay to the remote side. */
  onSignal(handler: (data: PeerSignal) => void): void;
  /** Runs once when the data channel opens. */
  onConnect(handler: (link: PeerLink) => void): void;
  /** Runs once when the attempt fails or the connection closes, from either side. */
  onClose(handler: () => void): void;
  /** Tears the connection down. Idempotent. */
  destroy(): void;
}

export interface PeerConnectionOptions {
  /** True on exactly one side of a pair (the lower peer id): that side creates the offer. */
  initiator: boolean;
  /** From the server's welcome; never a library default (no public STUN from tests). */
  iceServers: IceServer[];
  /**
   * Send ICE candidates as they come (default true). False gathers them all into one offer or answer,
   * for manual invites pasted by hand.
   */
  trickle?: boolean;
}

export type CreatePeerConnection = (options: PeerConnectionOptions) => PeerConnection;
