import type { PeerId } from '../ids';
import type { PeerInfo, PeerState } from './mesh-api';

/** What the mesh knows about each peer it has linked with; state is derived from live links. */
export interface PeerTable {
  update(peerId: PeerId, patch: Partial<Omit<PeerInfo, 'peerId' | 'state'>>): void;
  list(): PeerInfo[];
}

export interface PeerTableDeps {
  stateOf(peerId: PeerId): PeerState;
  /** Offline peers remembered (oldest forgotten first), so a churning room cannot grow the table. */
  maxOffline: number;
}

export function createPeerTable(deps: PeerTableDeps): PeerTable {
  const peers = new Map<PeerId, Omit<PeerInfo, 'state'>>();
  return {
    update(peerId, patch) {
      const current = peers.get(peerId) ?? { peerId, name: '', fingerprint: '', rttMs: null };
      peers.delete(peerId);
      peers.set(peerId, { ...current, ...patch, peerId });
    },
    list() {
      const all = [...peers.values()].map((info) => ({ ...info, state: deps.stateOf(info.peerId) }));
      let excess = all.filter((p) => p.state === 'offline').length - deps.maxOffline;
      const kept: PeerInfo[] = [];
      for (const info of all) {
        if (excess > 0 && info.state === 'offline') {
          excess--;
          peers.delete(info.peerId);
        } else kept.push(info);
      }
      return kept;
    },
  };
}
