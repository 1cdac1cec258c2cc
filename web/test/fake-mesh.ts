import type { ChatMessage, Mesh, MeshCounters, MeshEvents, PeerId, PeerInfo, PeerLink, RoomName } from '@shoal/shared';
import { createEmitter } from '../src/emitter';

const ZERO_COUNTERS: MeshCounters = {
  framesSent: 0, framesReceived: 0, bytesSent: 0, bytesReceived: 0, delivered: 0, forwarded: 0, duplicatesDropped: 0,
  malformedDropped: 0, badSignatureDropped: 0, hopLimitDropped: 0, historyMessagesReceived: 0, historyMessagesSent: 0,
};

/** A Mesh whose events the test drives; `send` builds an own message with the given key. */
export function createFakeMesh(room: RoomName, self: PeerId, publicKey: string) {
  const events = createEmitter<MeshEvents>();
  const links: Array<{ link: PeerLink; peer: PeerId | undefined }> = [];
  let seq = 0;
  let name = '';
  let failNext: Error | null = null;
  const mesh: Mesh = {
    addLink: (link, peer) => void links.push({ link, peer }),
    async send(body) {
      if (failNext) {
        const error = failNext;
        failNext = null;
        throw error;
      }
      seq += 1;
      const message: ChatMessage = {
        id: `20000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`, room, author: self, seq, lamport: 1000 + seq,
        sentAt: 0, name, body, publicKey, signature: 'S'.repeat(86),
      };
      events.emit('message', message);
      return message;
    },
    setName: (value) => void (name = value),
    peers: () => [],
    counters: () => ZERO_COUNTERS,
    on: events.on,
    close() {},
  };
  return {
    mesh,
    links,
    name: () => name,
    deliver: (message: ChatMessage) => events.emit('message', message),
    setPeers: (peers: PeerInfo[]) => events.emit('peers', peers),
    failNextSend: (error: Error) => void (failNext = error),
  };
}
