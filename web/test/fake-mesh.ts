import { type ChatMessage, type Mesh, type MeshEvents, type PeerId, type PeerInfo, type RoomName, createEmitter } from '@shoal/shared';

/** A Mesh whose events the test drives; `send` builds a message authored by `self`. */
export function createFakeMesh(room: RoomName, self: PeerId) {
  const events = createEmitter<MeshEvents>();
  let seq = 0;
  let name = '';
  let failNext: Error | null = null;
  const mesh: Pick<Mesh, 'send' | 'setName' | 'peers' | 'on'> = {
    async send(body) {
      if (failNext) {
        const error = failNext;
        failNext = null;
        throw error;
      }
      seq += 1;
      const message: ChatMessage = {
        id: `20000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`, room, author: self, seq, lamport: 1000 + seq,
        sentAt: 0, name, body, publicKey: 'K'.repeat(43), signature: 'S'.repeat(86),
      };
      events.emit('message', message);
      return message;
    },
    setName: (value) => void (name = value),
    peers: () => [],
    on: events.on,
  };
  return {
    mesh,
    name: () => name,
    deliver: (message: ChatMessage) => events.emit('message', message),
    setPeers: (peers: PeerInfo[]) => events.emit('peers', peers),
    failNextSend: (error: Error) => void (failNext = error),
  };
}
