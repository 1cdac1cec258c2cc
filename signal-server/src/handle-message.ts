import { type ClientMessage, type ErrorCode, MIN_SIGNAL_VERSION, PROTOCOL_VERSION, type PeerId, type RoomName } from '@shoal/shared';
import { encode } from './frames';

/** Where a connection stands: joining is the wait for the (possibly remote) room bus. */
export type Phase = 'idle' | 'joining' | 'joined';

/** What the shell must do with one parsed client message. */
export type Action =
  | { kind: 'join'; room: RoomName; peerId: PeerId }
  | { kind: 'relay'; to: PeerId; frame: string }
  | { kind: 'leave' }
  | Reject;

export interface Reject {
  kind: 'reject';
  code: ErrorCode;
  message: string;
  /** The `type` of the offending frame, echoed as `ref`. */
  ref?: string;
  /** Counts toward the bad-frame limit (protocol misuse), as opposed to a benign race. */
  strike: boolean;
  /** Close code to close with after the error frame, when the connection cannot go on. */
  close?: number;
}

/** WebSocket close codes the server uses. */
export const CLOSE = { goingAway: 1001, policy: 1008, tooBig: 1009, tryAgainLater: 1013 } as const;

/**
 * The pure protocol decision for one message from a connection in `phase` speaking as `self`
 * (null before a join). No I/O: the caller applies the action to its socket and the room bus.
 */
export function handleMessage(phase: Phase, self: PeerId | null, msg: ClientMessage): Action {
  switch (msg.type) {
    case 'join':
      if (phase !== 'idle') return reject('ALREADY_JOINED', 'this connection already joined a room', 'join', true);
      if (msg.v < MIN_SIGNAL_VERSION || msg.v > PROTOCOL_VERSION) {
        return { ...reject('VERSION_MISMATCH', `server speaks protocol v${PROTOCOL_VERSION}`, 'join', false), close: CLOSE.policy };
      }
      return { kind: 'join', room: msg.room, peerId: msg.peerId };
    case 'signal':
      if (phase !== 'joined' || self === null) return reject('NOT_JOINED', 'join a room first', 'signal', true);
      // Sending to oneself is refused like an absent peer: there is no link to negotiate.
      if (msg.to === self) return reject('UNKNOWN_PEER', 'cannot signal yourself', 'signal', false);
      // `from` is stamped here, from the connection's own id: a client cannot speak for another peer.
      return { kind: 'relay', to: msg.to, frame: encode({ type: 'signal', from: self, data: msg.data }) };
    case 'leave':
      if (phase !== 'joined') return reject('NOT_JOINED', 'not in a room', 'leave', true);
      return { kind: 'leave' };
  }
}

export function reject(code: ErrorCode, message: string, ref: string | undefined, strike: boolean): Reject {
  return ref === undefined ? { kind: 'reject', code, message, strike } : { kind: 'reject', code, message, ref, strike };
}
