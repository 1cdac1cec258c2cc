import type { PeerId } from '../ids';
import type { LinkCloseReason } from '../mesh/mesh-errors';
import type { Clock, Mesh } from '../mesh/mesh-api';
import type { RoomName } from '../protocol/signal-messages';
import { type LateMesh, createLateMesh } from './late-mesh';
import type { CreatePeerConnection } from './peer-connection';
import { type PeerConnector, createPeerConnector } from './peer-connector';
import type { PeerConnectorOptions } from './peer-connector-options';
import { type SignalingClient, createSignalingClient } from './signaling-client';
import type { OpenSocket } from './socket';

/** Why-closed reasons a fresh connection to the same peer would only repeat. */
export const NO_REDIAL: ReadonlySet<LinkCloseReason> = new Set<LinkCloseReason>([
  'VERSION_MISMATCH', 'WRONG_ROOM', 'SELF_LINK', 'UNEXPECTED_PEER', 'BAD_PROOF', 'DUPLICATE_LINK', 'PEER_ID_CONFLICT', 'ABUSE',
  // Another passphrase (or none) on the other side, or a key other than its relayed signals': a retry repeats it.
  'ROOM_KEY_MISMATCH', 'ROOM_KEY_REQUIRED', 'RELAY_KEY_MISMATCH',
  // Over its budgets or banned: the mesh refuses the peer for banMs; re-dial only if signaling introduces it anew.
  'OVER_BUDGET', 'BANNED',
  // A big room's peer at its degree cap: it named others to link to instead, and peer exchange does that.
  'DEGREE_FULL',
]);

export interface RoomLinksDeps {
  selfId: PeerId;
  /** The room as the signal server sees it (a private room's rendezvous id; the mesh uses another). */
  room: RoomName;
  /** Signal servers in order of preference. */
  urls: string[];
  openSocket: OpenSocket;
  createConnection: CreatePeerConnection;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  random: () => number;
  options?: Partial<PeerConnectorOptions>;
}

export interface RoomLinks {
  signaling: SignalingClient;
  connector: PeerConnector;
  /** Hands links and relayed signals to the mesh once it exists; redials stop for fatal closes. */
  bind(mesh: Pick<Mesh, 'addLink' | 'relaySignal' | 'roomSize' | 'on'>): void;
  /** Leaves the room first (the server tells the others at once), then drops every link and attempt. */
  close(): void;
}

/**
 * How a peer — a browser tab or a Node process — finds and links to the rest of its room: the signaling
 * client, the WebRTC connector and the mesh-side port, wired the same way everywhere. Signaling starts
 * at once; the mesh (which may need storage and keys first) is bound when ready (see late-mesh.ts).
 */
export function startRoomLinks(deps: RoomLinksDeps): RoomLinks {
  const signaling = createSignalingClient({ urls: deps.urls, room: deps.room, peerId: deps.selfId, openSocket: deps.openSocket, clock: deps.clock, random: deps.random });
  const lateMesh: LateMesh = createLateMesh();
  const connector = createPeerConnector({
    selfId: deps.selfId,
    signaling,
    meshSignaling: lateMesh,
    createConnection: deps.createConnection,
    onLink: lateMesh.addLink,
    clock: deps.clock,
    random: deps.random,
    ...(deps.options !== undefined && { options: deps.options }),
  });
  signaling.start();
  let offMesh: Array<() => void> = [];
  return {
    signaling,
    connector,
    bind(mesh) {
      offMesh = [
        mesh.on('link-closed', ({ peerId, reason }) => {
          if (peerId && NO_REDIAL.has(reason)) connector.holdOff(peerId);
        }),
        // A failed room-key proof closes the link before any hello named the peer: hold off by its claimed id.
        mesh.on('room-key-mismatch', ({ peerId }) => connector.holdOff(peerId)),
      ];
      lateMesh.bind(mesh);
    },
    close() {
      signaling.close();
      for (const off of offMesh.splice(0)) off();
      connector.close();
      lateMesh.close();
    },
  };
}
