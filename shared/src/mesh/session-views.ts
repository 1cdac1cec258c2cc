import type { PeerId } from '../ids';
import type { LinkSession } from './link-session';
import type { PeerState } from './mesh-api';

/** Authenticated sessions (handshake done, not closed). */
export function openOf(sessions: Iterable<LinkSession>): LinkSession[] {
  return [...sessions].filter((s) => s.state === 'open');
}

/** Open sessions by remote peer id (the handshake keeps at most one per peer). */
export function openByPeerOf(sessions: Iterable<LinkSession>): Map<PeerId, LinkSession> {
  const map = new Map<PeerId, LinkSession>();
  for (const s of openOf(sessions)) if (s.hello) map.set(s.hello.peerId, s);
  return map;
}

/** A peer is online with an open session, connecting while one handshakes, else offline. */
export function peerStateOf(sessions: Iterable<LinkSession>, peerId: PeerId): PeerState {
  let connecting = false;
  for (const s of sessions) {
    if ((s.hello?.peerId ?? s.expectedPeer) !== peerId) continue;
    if (s.state === 'open') return 'online';
    connecting = true;
  }
  return connecting ? 'connecting' : 'offline';
}
