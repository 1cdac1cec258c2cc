import type { PeerInfo } from '@shoal/shared';
import { isContestedName } from '../state/name-conflicts';
import { displayName, shortFingerprint } from './format';
import { NameWarning } from './name-warning';

export interface PeerListProps {
  peers: readonly PeerInfo[];
  /** Name skeletons used by more than one identity in the room (contestedSkeletons). */
  contested: ReadonlySet<string>;
}

const STATE_ORDER: Record<PeerInfo['state'], number> = { online: 0, connecting: 1, offline: 2 };

/**
 * Names in case-insensitive code-point order. Not localeCompare: its first call in a page builds an ICU
 * collator (locale data), which a sampling profile of a forming 8-tab room put at the top of the peer
 * list's first render (issue 14). A list of a few names needs no linguistic order.
 */
function byName(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Everyone this tab knows in the room: name, key fingerprint, link state and round-trip time. */
export function PeerList({ peers, contested }: PeerListProps) {
  const named = peers.map((peer) => ({ peer, name: displayName(peer.name) }));
  const sorted = named.sort((a, b) => STATE_ORDER[a.peer.state] - STATE_ORDER[b.peer.state] || byName(a.name, b.name));
  return (
    <section class="peers" aria-labelledby="peers-heading">
      <h2 id="peers-heading">
        Peers <span class="count">{peers.filter((peer) => peer.state === 'online').length}</span>
      </h2>
      {peers.length === 0 && <p class="hint">Nobody else here yet. Share the link to invite someone.</p>}
      <ul aria-label="Peers">
        {sorted.map(({ peer, name }) => (
          <PeerRow key={peer.peerId} peer={peer} name={name} contested={isContestedName(contested, peer.name)} />
        ))}
      </ul>
    </section>
  );
}

/** One peer; a name another identity also uses is flagged and keeps its fingerprint shown on phones. */
function PeerRow({ peer, name, contested }: { peer: PeerInfo; name: string; contested: boolean }) {
  return (
    <li data-peer-id={peer.peerId} class={`peer ${peer.state}${contested ? ' contested' : ''}`}>
      <span class="dot" aria-hidden="true" />
      <bdi class="peer-name">{name}</bdi>
      <span class="fingerprint" title={`Key fingerprint ${peer.fingerprint}`}>
        {shortFingerprint(peer.fingerprint)}
      </span>
      <span class="peer-state">{peer.state}</span>
      {peer.rttMs !== null && <span class="rtt">{Math.round(peer.rttMs)} ms</span>}
      {contested && <NameWarning />}
    </li>
  );
}
