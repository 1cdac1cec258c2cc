import { type ReadonlySignal, computed, signal } from '@preact/signals';
import type { Mesh, PeerInfo } from '@shoal/shared';

/**
 * Private rooms: whether this tab's passphrase looks wrong. Peers with another passphrase meet at the
 * same signal-server room (its id comes from the room name alone) and fail each other's room-key proof;
 * when peers failed it and none passed, this tab is the odd one out. Once any peer links, the failures
 * were someone else's (an outsider, or a peer with a typo) and nothing is shown.
 */
export function createPassphraseCheck(mesh: Pick<Mesh, 'on' | 'peers'>): { wrong: ReadonlySignal<boolean>; dispose(): void } {
  const mismatches = signal(0);
  const linked = signal(mesh.peers().some((p) => p.state === 'online'));
  const offs = [
    mesh.on('room-key-mismatch', () => {
      mismatches.value += 1;
    }),
    mesh.on('peers', (peers: PeerInfo[]) => {
      linked.value = peers.some((p) => p.state === 'online');
    }),
  ];
  return {
    wrong: computed(() => mismatches.value > 0 && !linked.value),
    dispose: () => offs.forEach((off) => off()),
  };
}
