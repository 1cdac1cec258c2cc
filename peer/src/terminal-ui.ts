import type { PeerInfo } from '@shoal/shared';
import type { PeerEvent } from './peer-events';

/** One PeerEvent as a line for a person; null for events a person does not need to see. */
export function formatForTerminal(event: PeerEvent): string | null {
  switch (event.type) {
    case 'ready':
      return event.blind
        ? `* keeping room ${event.room} blind as ${event.fingerprint} (ciphertext only)`
        : `* you are ${event.name} (${event.fingerprint}) in ${event.room} — /peers /name NAME /invite [CODE] /quit`;
    case 'message': {
      const who = `${event.name || '?'} (${event.fingerprint.slice(0, 9)})`;
      const when = clockTime(event.sentAt);
      const mark = event.history ? '·' : ' ';
      if (event.deleted) return `${mark}${when} ${who} [deleted]`;
      if (event.text === null) return `${mark}${when} ${who} [${event.problem ?? event.kind}]`;
      const prefix = event.kind === 'text' ? '' : `[${event.kind}] `;
      return `${mark}${when} ${who}: ${prefix}${event.text}`;
    }
    case 'peer':
      // A link still in its handshake has no name or key yet: not worth a line for a person.
      if (event.state === 'connecting') return null;
      return event.state === 'gone' ? `* ${event.peerId.slice(0, 8)} left` : `* ${event.name || event.peerId.slice(0, 8)} (${event.fingerprint.slice(0, 9)}) ${event.state}`;
    case 'signaling':
      return event.status === 'connected' ? null : `* signal server ${event.url}: ${event.status}`;
    case 'sent':
      return null;
    case 'invite':
      return `* invite code (paste it into "Connect manually", then paste the answer here with /invite CODE):\n${event.code}`;
    case 'error':
      return `! ${event.code}: ${event.message}`;
  }
}

export function formatPeers(peers: PeerInfo[]): string {
  if (peers.length === 0) return '* nobody else here yet';
  return peers.map((p) => `* ${p.name || '?'} (${p.fingerprint.slice(0, 9)}) ${p.state}${p.rttMs === null ? '' : ` ${p.rttMs} ms`}`).join('\n');
}

/** HH:MM in local time; the date too when not today. */
function clockTime(ms: number): string {
  const at = new Date(ms);
  const hm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  return at.toDateString() === new Date().toDateString() ? hm : `${at.toISOString().slice(0, 10)} ${hm}`;
}
