import { type PeerId, PeerIdSchema, type ProtocolError, type Result, type RoomName, RoomNameSchema, fail, ok, parseServerMessage } from '@shoal/shared';
import * as v from 'valibot';
import { isRelayedSignal } from './frames';

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

/**
 * `room\nto\nlength\nframe`: one signal for member `to` of `room`. A message on a process channel is
 * one or more of these back to back (the relays of one event-loop turn, grouped by the RELAY script).
 */
export function signalRecord(room: RoomName, to: string, frame: string | Buffer): Buffer {
  const bytes = typeof frame === 'string' ? Buffer.from(frame) : frame;
  const head = `${room}\n${to}\n${bytes.length}\n`;
  const record = Buffer.allocUnsafe(head.length + bytes.length);
  // latin1: the room is ASCII by schema; a non-ASCII `to` (not validated on the fast path) is simply
  // not found by the RELAY script, so its record is never published.
  record.write(head, 0, 'latin1');
  bytes.copy(record, head.length);
  return record;
}

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

/** Longest frame a record may announce: the signal frame limit with room for `from`, and then some. */
const MAX_RECORD_FRAME_BYTES = 1024 * 1024;

/**
 * Parses a message from a process channel: its records, and the error that stopped the parse, if any
 * (records after a bad one cannot be found: the framing is lost). Never throws.
 */
export function parseSignalBatch(message: Buffer): { records: SignalEnvelope[]; error: ProtocolError | null } {
  const records: SignalEnvelope[] = [];
  let at = 0;
  while (at < message.length) {
    const record = parseRecord(message, at);
    if (!record.ok) return { records, error: record.error };
    records.push(record.value.envelope);
    at = record.value.next;
  }
  return { records, error: null };
}

function parseRecord(message: Buffer, at: number): Result<{ envelope: SignalEnvelope; next: number }> {
  const first = message.indexOf(NEWLINE, at);
  const second = first < 0 ? -1 : message.indexOf(NEWLINE, first + 1);
  const third = second < 0 ? -1 : message.indexOf(NEWLINE, second + 1);
  if (third < 0 || third - second > 8) return fail('BAD_SHAPE', 'a signal record needs room, peer and length lines');
  const room = v.safeParse(RoomNameSchema, message.toString('latin1', at, first));
  const to = v.safeParse(PeerIdSchema, message.toString('latin1', first + 1, second));
  const lengthText = message.toString('latin1', second + 1, third);
  const length = /^\d{1,7}$/.test(lengthText) ? Number(lengthText) : -1;
  if (!room.success || !to.success) return fail('BAD_SHAPE', 'a signal record has a bad room or peer id');
  if (length < 0 || length > MAX_RECORD_FRAME_BYTES || third + 1 + length > message.length) return fail('BAD_SHAPE', 'a signal record has a bad length');
  const frame = message.subarray(third + 1, third + 1 + length);
  if (!isRelayedSignal(frame)) return fail('BAD_SHAPE', 'a process channel carries relayed signal frames only');
  return ok({ envelope: { room: room.output, to: to.output, frame }, next: third + 1 + length });
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
