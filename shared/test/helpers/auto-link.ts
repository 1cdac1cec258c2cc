import type { SimNetwork } from './sim-network';

/**
 * Plays the web app's part with no signal server: on `want-link` it sends an "offer" through the mesh;
 * the target answers through the mesh; when the answer arrives, the two get a (memory) link.
 */
export function autoLink(network: SimNetwork): { relayed: () => number } {
  let relayed = 0;
  const indexOf = new Map(network.peers.map((p) => [p.id, p.index]));
  for (const peer of network.peers) {
    peer.mesh.on('want-link', ({ peerId }) => {
      peer.mesh.relaySignal(peerId, { kind: 'offer' });
    });
    peer.mesh.on('relay-signal', ({ from, data }) => {
      relayed++;
      if (data.kind === 'offer') peer.mesh.relaySignal(from, { kind: 'answer' });
      else if (data.kind === 'answer') network.connect(peer.index, indexOf.get(from) ?? -1);
    });
  }
  return { relayed: () => relayed };
}
