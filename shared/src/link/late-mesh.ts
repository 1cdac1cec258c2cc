import type { PeerId } from '../ids';
import type { Mesh, MeshEvents } from '../mesh/mesh-api';
import type { PeerLink } from '../mesh/peer-link';
import type { MeshSignalingPort } from './peer-connector-options';

type PortEvent = 'want-link' | 'relay-signal';

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
      held.set(link, { peerId, expectedKey });
      // A link that dies while held must not reach the mesh: its close already happened.
      link.onClose(() => held.delete(link));
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
