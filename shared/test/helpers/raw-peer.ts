import { createIdentity, generateIdentityKeyPair, type Identity, type PeerId, type PeerMessage, PROTOCOL_VERSION, parsePeerMessage, type RoomName, toBase64url } from '../../src/index';
import { createMemoryLinkPair, type MemoryLinkPair } from '../../src/testing/index';
import { helloProofBytes } from '../../src/mesh/handshake';
import { ROOM, type SimPeer } from './sim';

/**
 * A hand-driven peer: the test writes raw frames into a mesh and reads what comes back. It can do the
 * real handshake (to test what an authenticated but hostile peer can do) or skip it.
 */
export interface RawPeer {
  peerId: PeerId;
  identity: Identity;
  wire: MemoryLinkPair;
  /** Parsed frames received from the mesh. */
  inbox: PeerMessage[];
  sendRaw(frame: string): boolean;
  send(message: PeerMessage): boolean;
  closed(): boolean;
}

export async function attachRawPeer(
  target: SimPeer,
  peerId: PeerId,
  opts: {
    handshake: boolean;
    identity?: Identity;
    room?: RoomName;
    expectedKey?: string;
    autoPong?: boolean;
    /** Called with every parsed frame from the mesh (after it was added to `inbox`). */
    onFrame?(message: PeerMessage, raw: RawPeer): void;
  },
): Promise<RawPeer> {
  const identity = opts.identity ?? (await createIdentity(await generateIdentityKeyPair()));
  const wire = createMemoryLinkPair();
  const nonce = toBase64url(new Uint8Array(16).fill(9));
  const inbox: PeerMessage[] = [];
  let isClosed = false;
  const raw: RawPeer = {
    peerId,
    identity,
    wire,
    inbox,
    sendRaw: (frame) => wire.b.send(frame),
    send: (message) => wire.b.send(JSON.stringify(message)),
    closed: () => isClosed,
  };
  wire.b.onClose(() => {
    isClosed = true;
  });
  wire.b.onMessage((frame) => {
    const parsed = parsePeerMessage(frame);
    if (!parsed.ok) throw new Error(`mesh sent a malformed frame: ${frame.slice(0, 80)}`);
    const message = parsed.value;
    inbox.push(message);
    if (opts.autoPong && message.type === 'ping') raw.send({ type: 'pong', nonce: message.nonce, t: message.t });
    opts.onFrame?.(message, raw);
    if (!opts.handshake || message.type !== 'hello') return;
    const room = opts.room ?? ROOM;
    raw.send({ type: 'hello', v: PROTOCOL_VERSION, room, peerId, name: 'raw', publicKey: identity.publicKey, nonce });
    void identity
      .sign(helloProofBytes(room, peerId, nonce, message.peerId, message.nonce))
      .then((signature) => raw.send({ type: 'hello-proof', signature }));
  });
  target.mesh.addLink(wire.a, peerId, opts.expectedKey);
  return raw;
}
