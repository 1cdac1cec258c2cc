import { PROTOCOL_VERSION, type PeerId, type PeerLink, createEmitter } from '@shoal/shared';
import {
  type PeerConnection,
  type PeerConnectionOptions,
  type PeerConnectorOptions,
  type PeerSignal,
  type RelayedSignal,
  type SignalingEvents,
  createPeerConnector,
} from '@shoal/shared/link';
import { createFakeClock } from './fake-clock';
import { peerId, room } from './ids';

/** A peer connector over fake connections, fake signaling and a fake mesh port (peer-connector tests). */
export interface FakeConnection {
  options: PeerConnectionOptions;
  received: PeerSignal[];
  destroyed: boolean;
  emitSignal(data: PeerSignal): void;
  connect(): PeerLink & { closed: boolean };
  fail(): void;
}

interface MeshSignalEvents {
  'want-link': { peerId: PeerId; via: PeerId };
  'relay-signal': RelayedSignal;
}

export function setup(self: PeerId, serverUp = true, options: Partial<PeerConnectorOptions> = {}) {
  const clock = createFakeClock();
  const signaling = createEmitter<SignalingEvents>();
  const meshEvents = createEmitter<MeshSignalEvents>();
  const relayed: Array<{ to: PeerId; data: PeerSignal }> = [];
  const sent: Array<{ to: PeerId; data: PeerSignal }> = [];
  const connections: FakeConnection[] = [];
  const links: PeerId[] = [];
  /** The expectedKey each opened link was handed to the mesh with. */
  const linkKeys: Array<string | undefined> = [];
  const connector = createPeerConnector({
    selfId: self,
    signaling: { on: signaling.on, sendSignal: (to, data) => serverUp && (sent.push({ to, data }), true) },
    meshSignaling: { relaySignal: (to, data) => (relayed.push({ to, data }), true), roomSize: () => 0, on: meshEvents.on },
    clock,
    random: () => 0.5,
    options,
    onLink: (_link, peer, expectedKey) => {
      links.push(peer);
      linkKeys.push(expectedKey);
    },
    createConnection(options): PeerConnection {
      let signalHandler: (data: PeerSignal) => void = () => {};
      let connectHandler: (link: PeerLink) => void = () => {};
      let closeHandler: () => void = () => {};
      const fake: FakeConnection = {
        options,
        received: [],
        destroyed: false,
        emitSignal: (data) => signalHandler(data),
        connect() {
          const link = { closed: false, send: () => true, sendBytes: () => true, bufferedAmount: () => 0, close: () => fake.fail(), onMessage() {}, onBytes() {}, onClose() {} };
          connectHandler(link);
          return link;
        },
        fail() {
          if (fake.destroyed) return;
          fake.destroyed = true;
          closeHandler();
        },
      };
      connections.push(fake);
      return {
        signal: (data) => void fake.received.push(data),
        onSignal: (h) => void (signalHandler = h),
        onConnect: (h) => void (connectHandler = h),
        onClose: (h) => void (closeHandler = h),
        destroy: () => fake.fail(),
      };
    },
  });
  const welcome = (peers: PeerId[]) =>
    signaling.emit('welcome', { type: 'welcome', v: PROTOCOL_VERSION, room: room('r'), peerId: self, peers, iceServers: [{ urls: 'stun:127.0.0.1:1' }] });
  return { clock, signaling, meshEvents, sent, relayed, connections, links, linkKeys, connector, welcome };
}

export const offer: PeerSignal = { type: 'offer', sdp: 'v=0 offer' };
/** The key a relayed signal's signature verified under (the mesh checked it). */
export const KEY = 'relay-key';

