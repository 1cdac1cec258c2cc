import { type MeshCounters, type PeerId, type PeerInfo, toPeerId } from '@shoal/shared';
import { type ShoalTestHooks } from '@shoal/shared/testing';

declare global {
  interface Window {
    shoalTest?: ShoalTestHooks;
  }
}

export interface TestHookSources {
  peerId: string;
  cut(peerId: PeerId): boolean;
  counters(): MeshCounters;
  peers(): PeerInfo[];
  linkedPeerIds(): string[];
  vector(): Promise<Record<string, number>>;
  liveConnections(): number;
}

/** Installs `window.shoalTest` when the page URL asks for it; returns the uninstaller. */
export function installTestHooks(search: string, target: { shoalTest?: ShoalTestHooks }, sources: TestHookSources): () => void {
  if (new URLSearchParams(search).get('testHooks') !== '1') return () => {};
  target.shoalTest = {
    peerId: sources.peerId,
    cutLink(raw) {
      const peer = toPeerId(raw);
      return peer ? sources.cut(peer) : false;
    },
    counters: sources.counters,
    peers: sources.peers,
    linkedPeerIds: sources.linkedPeerIds,
    vector: sources.vector,
    liveConnections: sources.liveConnections,
  };
  return () => {
    delete target.shoalTest;
  };
}
