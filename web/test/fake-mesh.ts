import { type RoomEvent, type SignedEvent, type Mesh, type MeshEvents, type PeerId, type PeerInfo, type RoomName, createEmitter } from '@shoal/shared';

/** A Mesh whose events the test drives; `send` and `publish` build v2 events authored by `self`. */
export function createFakeMesh(room: RoomName, self: PeerId) {
  const events = createEmitter<MeshEvents>();
  let seq = 0;
  let name = '';
  let failNext: Error | null = null;
  const publish = async (draft: { kind: string; body: string; target?: string }): Promise<SignedEvent> => {
    if (failNext) {
      const error = failNext;
      failNext = null;
      throw error;
    }
    seq += 1;
    const event: SignedEvent = {
      v: 2, id: `F${seq.toString(16).padStart(42, '0')}`, room, author: self, seq, lamport: 1000 + seq, sentAt: 0,
      kind: draft.kind, ...(draft.target !== undefined && { target: draft.target }), body: draft.body,
      publicKey: 'K'.repeat(43), signature: 'S'.repeat(86),
    };
    events.emit('message', event);
    return event;
  };
  const mesh: Pick<Mesh, 'send' | 'publish' | 'setName' | 'peers' | 'on'> = {
    send: (body) => publish({ kind: 'text', body }),
    publish,
    setName: (value) => void (name = value),
    peers: () => [],
    on: events.on,
  };
  return {
    mesh,
    name: () => name,
    deliver: (message: RoomEvent) => events.emit('message', message),
    setPeers: (peers: PeerInfo[]) => events.emit('peers', peers),
    versionMismatch: (version: number) => events.emit('version-mismatch', { peerId: self, version }),
    failNextSend: (error: Error) => void (failNext = error),
  };
}
