import type { PeerId } from '../ids';
import type { Mesh, MeshEvents } from '../mesh/mesh-api';
import type { PeerLink } from '../mesh/peer-link';
import type { MeshSignalingPort } from './peer-connector-options';

type PortEvent = 'want-link' | 'relay-signal';

/**
 * Text frames a link held before the mesh exists keeps for it; later ones are dropped. The peer's side
 * of the link is already in its mesh and opens with its hello (and proof, a ping): a handful of frames.
 * Default 32.
 */
export const MAX_HELD_FRAMES = 32;

/** The mesh as the connector needs it. */
export type MeshLinkSide = Pick<Mesh, 'addLink' | 'relaySignal' | 'roomSize' | 'on'>;

/**
 * The mesh's side of the peer connector, usable before the mesh exists. The mesh needs the identity
 * and the store (IndexedDB) first, while signaling and WebRTC need neither: with this stand-in they
 * start at once and overlap that loading. Links that open early are held until `bind`.
 */
export interface LateMesh extends MeshSignalingPort {
  /** The connector's onLink: hands the link to the mesh, or holds it until there is one. */
  addLink(link: PeerLink, peerId: PeerId, expectedKey?: string): void;
  /** Connects the mesh: held links go to it, event handlers subscribe to it. Only the first call counts. */
  bind(mesh: MeshLinkSide): void;
  /** Closes links still held (the mesh never came); later links are closed on arrival. */
  close(): void;
}

export function createLateMesh(): LateMesh {
  let mesh: MeshLinkSide | null = null;
  let closed = false;
  const held = new Map<PeerLink, { peerId: PeerId; expectedKey: string | undefined }>();
  /** Handlers subscribed before bind, each with its unsubscribe once bound. */
  const handlers = new Set<{ subscribe(target: MeshLinkSide): void; off(): void }>();

  return {
    addLink(link, peerId, expectedKey) {
      if (closed) return link.close();
      if (mesh) return mesh.addLink(link, peerId, expectedKey);
      const waiting = keepFrames(link);
      held.set(waiting, { peerId, expectedKey });
      // A link that dies while held must not reach the mesh: its close already happened.
      link.onClose(() => held.delete(waiting));
    },
    // Before bind there is no mesh link to carry a signal: the same answer the mesh gives without links.
    relaySignal: (to, data) => mesh?.relaySignal(to, data) ?? false,
    roomSize: () => mesh?.roomSize() ?? 0,
    on<K extends PortEvent>(event: K, handler: (payload: MeshEvents[K]) => void): () => void {
      if (mesh) return mesh.on(event, handler);
      let off: (() => void) | null = null;
      const entry = {
        subscribe(target: MeshLinkSide) {
          off = target.on(event, handler);
        },
        off() {
          handlers.delete(entry);
          off?.();
        },
      };
      handlers.add(entry);
      return entry.off;
    },
    bind(target) {
      if (mesh || closed) return;
      mesh = target;
      for (const entry of handlers) entry.subscribe(target);
      for (const [link, { peerId, expectedKey }] of held) target.addLink(link, peerId, expectedKey);
      held.clear();
    },
    close() {
      closed = true;
      for (const link of held.keys()) link.close();
      held.clear();
    },
  };
}

/**
 * The link as the mesh will see it, keeping the text frames that arrive before the mesh sets its handler.
 * The other side sends its hello the moment the channel opens; dropped, the handshake here could never
 * finish, and the link would idle until the handshake timeout closed it (6–8 s) and it was dialled again.
 * Binary frames (file chunks) are for open sessions only, so none are kept.
 */
function keepFrames(link: PeerLink): PeerLink {
  let kept: string[] | null = [];
  let handler: ((frame: string) => void) | null = null;
  link.onMessage((frame) => {
    if (kept === null) handler?.(frame);
    else if (kept.length < MAX_HELD_FRAMES) kept.push(frame);
  });
  return {
    send: (frame) => link.send(frame),
    sendBytes: (bytes) => link.sendBytes(bytes),
    bufferedAmount: () => link.bufferedAmount(),
    close: () => link.close(),
    onBytes: (onBytes) => link.onBytes(onBytes),
    onClose: (onClose) => link.onClose(onClose),
    onMessage(onMessage) {
      handler = onMessage;
      // After the mesh's addLink has returned: the session it builds around this link must exist before
      // its first frame. Frames arriving meanwhile queue behind the kept ones, so order holds.
      void Promise.resolve().then(() => {
        const frames = kept ?? [];
        kept = null;
        for (const frame of frames) handler?.(frame);
      });
    },
  };
}
