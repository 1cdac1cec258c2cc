import type { Clock } from '../mesh/mesh-api';
import type { PeerLink } from '../mesh/peer-link';
import type { IceServer } from '../protocol/signal-messages';
import { decodeInviteCode, encodeInviteCode } from './invite-code';
import type { CreatePeerConnection, PeerConnection } from './peer-connection';
import type { PeerSignal } from './signal-data';

export type ManualLinkResult =
  | { kind: 'answer'; code: string }
  /** The answer was applied; the link opens (and the peer shows in the list) once ICE completes. */
  | { kind: 'connecting' }
  | { kind: 'error'; message: string };

export interface ManualLinker {
  /** Starts an invite: the code to send to someone in the room (an offer). */
  createInvite(): Promise<string>;
  /**
   * Takes pasted text: an invite (answered with a code to send back) or the answer to our invite (which
   * completes the link).
   */
  usePasted(text: string): Promise<ManualLinkResult>;
  cancel(): void;
}

export interface ManualLinkerDeps {
  createConnection: CreatePeerConnection;
  /** ICE servers from the last welcome, or none when no server was ever reached. */
  iceServers(): IceServer[];
  /** The mesh's addLink: the peer's identity is learned from its hello. */
  onLink(link: PeerLink): void;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** How long gathering candidates may take, ms. Default 5,000. */
  gatherTimeoutMs?: number;
}

/**
 * "Connect manually": a WebRTC link set up by copying an offer and an answer by hand, with no signal
 * server at all. Once one link exists, peer exchange in the mesh completes the rest of the room.
 */
export function createManualLinker(deps: ManualLinkerDeps): ManualLinker {
  let pending: PeerConnection | null = null;

  const start = (initiator: boolean) => {
    pending?.destroy();
    const connection = deps.createConnection({ initiator, iceServers: deps.iceServers(), trickle: false });
    pending = connection;
    connection.onConnect((link) => {
      if (pending === connection) pending = null;
      deps.onLink(link);
    });
    connection.onClose(() => {
      if (pending === connection) pending = null;
    });
    // Without trickle, simple-peer emits exactly one signal: the complete offer or answer.
    return new Promise<PeerSignal>((resolve, reject) => {
      const timer = deps.clock.setTimeout(() => reject(new Error('gathering network candidates took too long')), deps.gatherTimeoutMs ?? 5_000);
      connection.onSignal((signal) => {
        deps.clock.clearTimeout(timer);
        resolve(signal);
      });
      connection.onClose(() => {
        deps.clock.clearTimeout(timer);
        reject(new Error('the connection closed'));
      });
    });
  };

  return {
    async createInvite() {
      return encodeInviteCode(await start(true));
    },
    async usePasted(text) {
      const signal = await decodeInviteCode(text);
      if (!signal) return { kind: 'error', message: 'That is not a Shoal invite or answer code.' };
      try {
        if (signal.type === 'offer') {
          const answer = start(false);
          pending?.signal(signal);
          return { kind: 'answer', code: await encodeInviteCode(await answer) };
        }
        if (!pending) return { kind: 'error', message: 'Create an invite first: this code answers one.' };
        pending.signal(signal);
        return { kind: 'connecting' };
      } catch (error) {
        return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
      }
    },
    cancel() {
      pending?.destroy();
      pending = null;
    },
  };
}
