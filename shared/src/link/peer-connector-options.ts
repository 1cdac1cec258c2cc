import type { PeerId } from '../ids';
import { DEFAULT_MESH_OPTIONS } from '../mesh/mesh-defaults';
import { MAX_RELAYED_PENDING, MAX_RELAYED_PENDING_PER_NEIGHBOUR } from '../protocol/limits';
import type { BackoffOptions } from './backoff';
import type { PeerSignal } from './signal-data';

export interface PeerConnectorOptions {
  /** An attempt that has not opened a data channel after this long is abandoned, ms. Default 15,000. */
  connectTimeoutMs: number;
  /** Delays before the initiator re-dials a peer whose connection failed or closed. Default 1 s to 30 s. */
  retry: BackoffOptions;
  /** Re-dials per peer before giving up until signaling introduces it again. Default 8. */
  maxRetries: number;
  /**
   * Rooms up to this many members are a full mesh; in bigger ones a newcomer dials `targetDegree`
   * random peers of the server's list, nobody dials newcomers, and the mesh asks for the rest (peer
   * exchange, bounded degree). Defaults: the mesh's own `fullMeshUpTo` and `targetDegree`.
   */
  fullMeshUpTo: number;
  targetDegree: number;
  /**
   * Connections answering a relayed offer that may be pending (not yet open) at once, in all and per
   * neighbour that relayed the offer. Each holds an RTCPeerConnection, of which Chromium allows 500 per
   * tab. Defaults MAX_RELAYED_PENDING (16) and MAX_RELAYED_PENDING_PER_NEIGHBOUR (4).
   */
  maxRelayedPending: number;
  maxRelayedPendingPerNeighbour: number;
  /**
   * A connection answering a relayed offer that has not opened after this long is destroyed and
   * forgotten at once, ms. Default 8,000 (shorter than the mesh's pending slot, so the two agree).
   */
  relayedConnectTimeoutMs: number;
}

/**
 * Signaling through the mesh itself (peer exchange, issue 3): peers found by other peers, and WebRTC
 * handshakes relayed over existing data channels, so links form while the signal server is down.
 */
export interface MeshSignalingPort {
  relaySignal(to: PeerId, data: PeerSignal): boolean;
  /** The mesh's estimate of the room's size (0 before there is a mesh): see isBigRoom. */
  roomSize(): number;
  on(event: 'want-link', handler: (payload: { peerId: PeerId; via: PeerId }) => void): () => void;
  /** `publicKey`: the verified signer of the signal; `via`: the neighbour that relayed it. */
  on(event: 'relay-signal', handler: (payload: RelayedSignal) => void): () => void;
}

/** A signal that reached us through the mesh, its signature verified by the mesh. */
export interface RelayedSignal {
  from: PeerId;
  data: unknown;
  publicKey: string;
  via: PeerId;
}

/** The options with every default filled in. */
export function withConnectorDefaults(options: Partial<PeerConnectorOptions> = {}): PeerConnectorOptions {
  return {
    connectTimeoutMs: 15_000,
    retry: { baseMs: 1_000, maxMs: 30_000 },
    maxRetries: 8,
    fullMeshUpTo: DEFAULT_MESH_OPTIONS.fullMeshUpTo,
    targetDegree: DEFAULT_MESH_OPTIONS.targetDegree,
    maxRelayedPending: MAX_RELAYED_PENDING,
    maxRelayedPendingPerNeighbour: MAX_RELAYED_PENDING_PER_NEIGHBOUR,
    relayedConnectTimeoutMs: 8_000,
    ...options,
  };
}
