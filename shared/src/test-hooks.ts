import type { MeshCounters, PeerInfo } from './mesh/mesh-api';

/**
 * The test-only API the web app installs on `window.shoalTest` when its URL has `?testHooks=1`, and
 * the e2e tests and browser benchmarks drive. It lives here because both sides compile against it.
 */
export interface ShoalTestHooks {
  peerId: string;
  /** Closes the data channel to that peer and refuses to re-link with it, on this side only. */
  cutLink(peerId: string): boolean;
  counters(): MeshCounters;
  peers(): PeerInfo[];
  linkedPeerIds(): string[];
  /** The room's version vector as this tab's store holds it (author stream -> highest contiguous seq). */
  vector(): Promise<Record<string, number>>;
  /** RTCPeerConnections of the tab not yet closed. */
  liveConnections(): number;
}
