import type { PeerId, RoomName } from '@shoal/shared';

/**
 * Where a member's frames are delivered: the member's own socket. A `ws` WebSocket satisfies it
 * directly, so the in-process bus holds no per-member closure.
 */
export interface Mailbox {
  send(frame: string): void;
}

/** A live room membership, returned by a successful join. */
export interface Membership {
  /**
   * Delivers a frame to one member of the same room. Takes any string: a value that is not the id of
   * a member (including a malformed one) is simply not found. Returns false when the bus knows that
   * no such member exists; a distributed bus that cannot know returns true once it has handed off.
   */
  sendTo(to: string, frame: string): boolean;
  /** Delivers a frame to every other member of the room. */
  broadcast(frame: string): void;
  /** Leaves the room (idempotent). Does not announce it: the caller broadcasts `peer-left` first. */
  leave(): void;
}

export type JoinOutcome =
  | { ok: true; membership: Membership; /** A random subset (≤ limit) of the other members. */ peers: PeerId[] }
  | { ok: false; code: 'ROOM_FULL' | 'DUPLICATE_PEER' };

/**
 * Room membership and relay, the seam between one server process and the rest of the deployment.
 * The in-process bus keeps rooms in memory; a Redis (or other) bus sharing rooms between processes
 * implements the same interface in its own file. `join` is async for that reason; everything on the
 * relay path stays synchronous and fire-and-forget.
 */
export interface RoomBus {
  /**
   * Adds `peerId` to `room` unless the room is full or the id is already live there, and samples at
   * most `peerListLimit` other members uniformly at random, atomically with the join.
   */
  join(room: RoomName, peerId: PeerId, mailbox: Mailbox, peerListLimit: number): Promise<JoinOutcome>;
  /** Rooms and members known to this bus (for /healthz and /metrics). */
  stats(): { rooms: number; peers: number };
}
