import type { PeerId, RoomName } from '@shoal/shared';

/**
 * Where a member's frames are delivered: the member's own socket. A `ws` WebSocket satisfies it
 * directly, so the in-process bus holds no per-member closure.
 */
export interface Mailbox {
  /** A JSON text frame, as a string or as its UTF-8 bytes. */
  send(frame: string | Buffer): void;
}

/** One live membership, issued by `join` and passed back to the bus to relay from it or leave. */
export interface MemberHandle {
  readonly peerId: PeerId;
  readonly room: RoomName;
}

export type JoinOutcome =
  | { ok: true; member: MemberHandle; /** A random subset (≤ limit) of the other members. */ peers: PeerId[] }
  | { ok: false; code: 'ROOM_FULL' | 'DUPLICATE_PEER' };

/**
 * Room membership and relay, the seam between one server process and the rest of the deployment.
 * The in-process bus keeps rooms in memory; a Redis (or other) bus sharing rooms between processes
 * implements the same interface in its own file. `join` is async for that reason; everything on the
 * relay path stays synchronous and fire-and-forget. Memberships are plain handles rather than objects
 * with methods: no closures per member, which matters at tens of thousands of connections.
 */
export interface RoomBus {
  /**
   * Adds `peerId` to `room` unless the room is full or the id is already live there, and samples at
   * most `peerListLimit` other members uniformly at random, atomically with the join.
   */
  join(room: RoomName, peerId: PeerId, mailbox: Mailbox, peerListLimit: number): Promise<JoinOutcome>;
  /**
   * Delivers a frame to another member of `from`'s room. `to` may be any string: one that is not the
   * id of a member (including a malformed one) is simply not found. Returns false when the bus knows
   * that no such member exists; a distributed bus that cannot know returns true once it has handed off.
   */
  sendTo(from: MemberHandle, to: string, frame: string | Buffer): boolean;
  /** Delivers a frame to every other member of `from`'s room. */
  broadcast(from: MemberHandle, frame: string): void;
  /** Ends a membership (idempotent). Does not announce it: the caller broadcasts `peer-left` first. */
  leave(member: MemberHandle): void;
  /** Rooms and members of this process (for /healthz and /metrics). */
  stats(): { rooms: number; peers: number };
  /** Whether the bus reaches the rest of the deployment; local rooms work either way. */
  health(): BusHealth;
  /** Figures of a bus that talks to other processes; null for the in-process bus. */
  figures(): BusFigures | null;
  /** Stops timers and closes connections of the bus (members are not announced). Idempotent. */
  close(): Promise<void>;
}

export type BusHealth = { status: 'ok' } | { status: 'degraded'; reason: string };

/** Counters and gauges of a distributed bus, for /metrics. */
export interface BusFigures {
  /** Messages handed to the backplane (relayed signals, room events). */
  published: number;
  /** Messages received from the backplane. */
  received: number;
  /** Failed backplane commands and refused (unparsable) backplane messages, by kind. */
  errors: { command: number; payload: number };
  /** Round trip of the last presence refresh, ms; null before the first one. */
  roundTripMs: number | null;
  /** 1 while connected, 0 otherwise. */
  up: number;
}
