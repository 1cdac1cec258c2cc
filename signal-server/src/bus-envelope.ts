import { type PeerId, PeerIdSchema, type Result, type RoomName, RoomNameSchema, fail, ok, parseServerMessage } from '@shoal/shared';
import * as v from 'valibot';

// Messages between server processes on the Redis backplane. Anything on Redis may have been written by
// someone else (a misconfigured deployment, an attacker with Redis access, another version), so every
// message is parsed like a client frame before a byte of it reaches a browser.

/** Key and channel prefix; several deployments can share one Redis only with different databases. */
export const KEY_PREFIX = 'shoal:';
/** Channel of one room's events (peer-joined, peer-left), for every process with members there. */
export const roomChannel = (room: RoomName): string => `${KEY_PREFIX}room:${room}`;
/** Channel of one process: signals addressed to its members. */
export const processChannel = (processId: string): string => `${KEY_PREFIX}proc:${processId}`;
export const roomKey = (room: RoomName): string => `${KEY_PREFIX}room:${room}`;
export const membersKey = (processId: string): string => `${KEY_PREFIX}proc:${processId}:members`;
export const PROCESSES_KEY = `${KEY_PREFIX}procs`;
/** The origin of events published by the presence reaper rather than a process. */
export const REAPER_ORIGIN = 'reaper';

const ProcessIdSchema = v.pipe(v.string(), v.regex(/^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|reaper)$/));
const ROOM_CHANNEL_PREFIX = roomChannel('' as RoomName);
const NEWLINE = 0x0a;

/** A member entry of a process's members set: `room\npeerId` (room names have no newline). */
export const memberEntry = (room: RoomName, peerId: PeerId): string => `${room}\n${peerId}`;

/** `room\nto\nframe`: a signal for member `to` of `room`, sent on the addressee's process channel. */
export const signalEnvelope = (room: RoomName, to: string, frame: string | Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${room}\n${to}\n`, 'latin1'), typeof frame === 'string' ? Buffer.from(frame) : frame]);

/** `origin\nframe`: a room event, sent on the room's channel. */
export const roomEnvelope = (origin: string, frame: string): string => `${origin}\n${frame}`;

export interface SignalEnvelope {
  room: RoomName;
  to: PeerId;
  /** The relayed `signal` frame, as received (validated). */
  frame: Buffer;
}

export interface RoomEvent {
  room: RoomName;
  origin: string;
  /** A `peer-joined` or `peer-left` frame (validated). */
  frame: string;
}

/** Parses a message from a process channel. Never throws. */
export function parseSignalEnvelope(message: Buffer): Result<SignalEnvelope> {
  const first = message.indexOf(NEWLINE);
  const second = first < 0 ? -1 : message.indexOf(NEWLINE, first + 1);
  if (second < 0) return fail('BAD_SHAPE', 'signal envelope needs room and peer lines');
  const room = v.safeParse(RoomNameSchema, message.toString('latin1', 0, first));
  const to = v.safeParse(PeerIdSchema, message.toString('latin1', first + 1, second));
  if (!room.success || !to.success) return fail('BAD_SHAPE', 'signal envelope has a bad room or peer id');
  const frame = message.subarray(second + 1);
  const parsed = parseServerMessage(frame.toString());
  if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
  if (parsed.value.type !== 'signal') return fail('UNKNOWN_TYPE', 'a process channel carries signal frames only');
  return ok({ room: room.output, to: to.output, frame });
}

/** Parses a message from a room channel (`channel` as subscribed). Never throws. */
export function parseRoomEvent(channel: string, message: string): Result<RoomEvent> {
  if (!channel.startsWith(ROOM_CHANNEL_PREFIX)) return fail('BAD_SHAPE', 'not a room channel');
  const room = v.safeParse(RoomNameSchema, channel.slice(ROOM_CHANNEL_PREFIX.length));
  const newline = message.indexOf('\n');
  const origin = v.safeParse(ProcessIdSchema, message.slice(0, Math.max(0, newline)));
  if (!room.success || !origin.success) return fail('BAD_SHAPE', 'room event has a bad room or origin');
  const frame = message.slice(newline + 1);
  const parsed = parseServerMessage(frame);
  if (!parsed.ok) return fail(parsed.error.code, parsed.error.message);
  if (parsed.value.type !== 'peer-joined' && parsed.value.type !== 'peer-left') return fail('UNKNOWN_TYPE', 'a room channel carries peer-joined and peer-left only');
  return ok({ room: room.output, origin: origin.output, frame });
}
