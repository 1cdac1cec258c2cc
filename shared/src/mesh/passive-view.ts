import type { PeerId } from '../ids';

/**
 * HyParView's passive view (Leitão, Pereira and Rodrigues 2007): room members we know of but are not
 * linked to, the pool links are promoted from when the active view (our open links) runs short. Each
 * entry is attributed to its source, the neighbour that told us about it, which is also the route a
 * relayed signal toward it takes.
 *
 * Hostile sources are bounded twice: a source holds at most `maxPerSource` entries (when the view is
 * full, the source holding the most loses its oldest), and `pick` chooses a source first, uniformly,
 * then an entry of it, so a neighbour naming a thousand friends is promoted no more often than one
 * naming three.
 */
export interface PassiveView {
  /** Remembers `peer` as told by `source` (the newest word on a peer wins). */
  learn(peer: PeerId, source: PeerId): void;
  forget(peer: PeerId): void;
  /** Who told us about `peer`: the neighbour to route toward it through. */
  sourceOf(peer: PeerId): PeerId | undefined;
  size(): number;
  /** Entries as [peer, source]. */
  entries(): Array<[PeerId, PeerId]>;
  /** A random eligible entry, fair across sources (see above); undefined when none is eligible. */
  pick(eligible: (peer: PeerId, source: PeerId) => boolean): [PeerId, PeerId] | undefined;
  /** Up to `n` random peers (shuffle samples). */
  sample(n: number): PeerId[];
}

export interface PassiveViewLimits {
  /** Entries held in all. */
  maxEntries: number;
  /** Entries held from one source. */
  maxPerSource: number;
  random(): number;
}

export function createPassiveView(limits: PassiveViewLimits): PassiveView {
  // Insertion order is age: the first entry of a source is its oldest.
  const sourceByPeer = new Map<PeerId, PeerId>();
  const peersBySource = new Map<PeerId, Set<PeerId>>();

  function forget(peer: PeerId): void {
    const source = sourceByPeer.get(peer);
    if (source === undefined) return;
    sourceByPeer.delete(peer);
    const peers = peersBySource.get(source);
    peers?.delete(peer);
    if (peers?.size === 0) peersBySource.delete(source);
  }

  function evictOldestOf(source: PeerId): void {
    const oldest = peersBySource.get(source)?.values().next().value;
    if (oldest !== undefined) forget(oldest);
  }

  function largestSource(): PeerId | undefined {
    let largest: PeerId | undefined;
    let most = 0;
    for (const [source, peers] of peersBySource) {
      if (peers.size > most) [largest, most] = [source, peers.size];
    }
    return largest;
  }

  const randomOf = <T>(items: readonly T[]): T | undefined => items[Math.floor(limits.random() * items.length)];

  return {
    learn(peer, source) {
      forget(peer);
      const peers = peersBySource.get(source) ?? new Set<PeerId>();
      if (peers.size >= limits.maxPerSource) evictOldestOf(source);
      else if (sourceByPeer.size >= limits.maxEntries) {
        const largest = largestSource();
        if (largest !== undefined) evictOldestOf(largest);
      }
      peers.add(peer);
      peersBySource.set(source, peers);
      sourceByPeer.set(peer, source);
    },
    forget,
    sourceOf: (peer) => sourceByPeer.get(peer),
    size: () => sourceByPeer.size,
    entries: () => [...sourceByPeer],
    pick(eligible) {
      const sources = [...peersBySource.keys()];
      // Sources in random order until one has an eligible entry: fairness among sources first.
      while (sources.length > 0) {
        const at = Math.floor(limits.random() * sources.length);
        const source = sources[at] as PeerId;
        sources.splice(at, 1);
        const peers = [...(peersBySource.get(source) ?? [])].filter((peer) => eligible(peer, source));
        const peer = randomOf(peers);
        if (peer !== undefined) return [peer, source];
      }
      return undefined;
    },
    sample(n) {
      const peers = [...sourceByPeer.keys()];
      const picked: PeerId[] = [];
      while (picked.length < n && peers.length > 0) {
        const [peer] = peers.splice(Math.floor(limits.random() * peers.length), 1);
        if (peer !== undefined) picked.push(peer);
      }
      return picked;
    },
  };
}
