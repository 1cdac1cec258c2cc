import { utf8Length } from '../crypto/web-crypto';
import type { PeerId } from '../ids';
import { MAX_BAD_FRAMES_PER_LINK, MAX_LINK_QUEUE_BYTES } from '../protocol/limits';
import { encodePeerMessage, type HelloMessage, type PeerMessage, parsePeerMessage } from '../protocol/peer-messages';
import type { Heartbeat } from './heartbeat';
import type { LinkBudget } from './link-budget';
import type { MeshCounters } from './mesh-api';
import type { LinkCloseReason } from './mesh-errors';
import type { PeerLink } from './peer-link';

export type SessionState = 'handshaking' | 'open' | 'closed';

/**
 * One adopted PeerLink: framing, counting, the serial inbound queue and abuse accounting. Mesh logic
 * (handshake, flood, sync) lives elsewhere and reads/writes the public fields.
 */
export interface LinkSession {
  readonly serial: number;
  readonly expectedPeer: PeerId | undefined;
  readonly myNonce: string;
  state: SessionState;
  /** The remote's validated hello; its peerId is who this link leads to (proven once `open`). */
  hello: HelloMessage | null;
  proofSent: boolean;
  proofVerified: boolean;
  fingerprint: string;
  /** The name our hello gave this peer; a rename during the handshake is sent once the link opens. */
  helloName: string;
  heartbeat: Heartbeat | null;
  /** Mesh ticks spent handshaking (handshake timeout). */
  handshakeTicks: number;
  send(message: PeerMessage): boolean;
  /** Sends a binary frame (file chunks); counted like text frames, charged to no chat budget. */
  sendBytes(bytes: Uint8Array): boolean;
  bufferedAmount(): number;
  /** Counts one bad frame; closes the link with ABUSE at MAX_BAD_FRAMES_PER_LINK. */
  strike(): void;
  close(reason: LinkCloseReason): void;
}

export interface LinkSessionDeps {
  serial: number;
  link: PeerLink;
  expectedPeer: PeerId | undefined;
  myNonce: string;
  counters: MeshCounters;
  /** Inbound frames and bytes this link may send (every frame type, the handshake included). */
  budget: LinkBudget;
  /** Handles one parsed frame; frames of a link are handled one at a time, in arrival order. */
  handle(session: LinkSession, message: PeerMessage): Promise<void>;
  /** Ping/pong bypass the queue so that a long history batch does not look like a dead link. */
  handleNow(session: LinkSession, message: PeerMessage): boolean;
  /** Binary frames, handed on at once (the file swarm bounds them: it accepts only what it asked for). */
  handleBytes(session: LinkSession, bytes: Uint8Array): void;
  onClosed(session: LinkSession, reason: LinkCloseReason): void;
  onError(error: unknown): void;
}

export function createLinkSession(deps: LinkSessionDeps): LinkSession {
  const { link, counters } = deps;
  const queue: { message: PeerMessage; bytes: number }[] = [];
  let queuedBytes = 0;
  let draining = false;
  let strikes = 0;

  const session: LinkSession = {
    serial: deps.serial,
    expectedPeer: deps.expectedPeer,
    myNonce: deps.myNonce,
    state: 'handshaking',
    hello: null,
    proofSent: false,
    proofVerified: false,
    fingerprint: '',
    helloName: '',
    heartbeat: null,
    handshakeTicks: 0,
    send(message) {
      if (session.state === 'closed') return false;
      const frame = encodePeerMessage(message);
      const sent = link.send(frame);
      if (sent) {
        counters.framesSent++;
        counters.bytesSent += utf8Length(frame);
      } else counters.sendFailures++;
      return sent;
    },
    sendBytes(bytes) {
      if (session.state === 'closed') return false;
      const sent = link.sendBytes(bytes);
      if (sent) {
        counters.framesSent++;
        counters.bytesSent += bytes.length;
      } else counters.sendFailures++;
      return sent;
    },
    bufferedAmount: () => link.bufferedAmount(),
    strike() {
      strikes++;
      if (strikes >= MAX_BAD_FRAMES_PER_LINK && session.state !== 'closed') {
        counters.abusiveLinksClosed++;
        session.close('ABUSE');
      }
    },
    close(reason) {
      if (session.state === 'closed') return;
      session.state = 'closed';
      queue.length = 0;
      queuedBytes = 0;
      link.close();
      deps.onClosed(session, reason);
    },
  };

  async function drain(): Promise<void> {
    draining = true;
    try {
      for (let next = queue.shift(); next && session.state !== 'closed'; next = queue.shift()) {
        queuedBytes -= next.bytes;
        try {
          await deps.handle(session, next.message);
        } catch (error) {
          deps.onError(error);
        }
      }
    } finally {
      draining = false;
    }
  }

  link.onMessage((frame) => {
    if (session.state === 'closed') return;
    const bytes = utf8Length(frame);
    counters.framesReceived++;
    counters.bytesReceived += bytes;
    const parsed = parsePeerMessage(frame);
    if (!parsed.ok) {
      counters.malformedDropped++;
      // An authenticated peer may run a newer version with frame types we lack (topology and
      // degree-full were added without a protocol bump): skip those instead of closing the link.
      if (parsed.error.code !== 'UNKNOWN_TYPE' || session.state !== 'open') session.strike();
      return;
    }
    const verdict = deps.budget.charge(parsed.value.type, bytes);
    if (verdict !== 'admit') {
      counters.overBudgetDropped++;
      if (verdict === 'close') {
        counters.overBudgetLinksClosed++;
        session.close('OVER_BUDGET');
      }
      return;
    }
    if (deps.handleNow(session, parsed.value)) return;
    queue.push({ message: parsed.value, bytes });
    queuedBytes += bytes;
    if (queuedBytes > MAX_LINK_QUEUE_BYTES) {
      session.close('OVERLOADED');
      return;
    }
    if (!draining) void drain();
  });
  link.onBytes((bytes) => {
    if (session.state === 'closed') return;
    counters.framesReceived++;
    counters.bytesReceived += bytes.length;
    deps.handleBytes(session, bytes);
  });
  link.onClose(() => session.close('REMOTE_CLOSED'));

  return session;
}
