import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  type ErrorCode,
  MAX_ERROR_MESSAGE_CHARS,
  MAX_ICE_SERVERS,
  MAX_PEER_LIST,
  MAX_ROOM_NAME_CHARS,
  PROTOCOL_VERSION,
  parseClientMessage,
  parseServerMessage,
} from '../src/index';
import { schemasByType } from '../src/protocol/parse';
import { PeerMessageSchema } from '../src/protocol/peer-messages';

const ID = '0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f';
const ID2 = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const join = (fields: Record<string, unknown> = {}): string => JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, room: 'lobby', peerId: ID, ...fields });

describe('parseClientMessage', () => {
  const malformed: [name: string, frame: string, code: ErrorCode][] = [
    ['empty string', '', 'BAD_JSON'],
    ['plain text', 'hello', 'BAD_JSON'],
    ['truncated object', '{"type":"join"', 'BAD_JSON'],
    ['trailing comma', '{"type":"leave",}', 'BAD_JSON'],
    ['single quotes', "{'type':'leave'}", 'BAD_JSON'],
    ['two objects', '{"type":"leave"}{"type":"leave"}', 'BAD_JSON'],
    ['NaN literal', '{"type":"join","v":NaN}', 'BAD_JSON'],
    ['null', 'null', 'BAD_SHAPE'],
    ['number', '42', 'BAD_SHAPE'],
    ['string', '"join"', 'BAD_SHAPE'],
    ['array', '[{"type":"leave"}]', 'BAD_SHAPE'],
    ['no type', '{"room":"lobby"}', 'BAD_SHAPE'],
    ['numeric type', '{"type":1}', 'BAD_SHAPE'],
    ['null type', '{"type":null}', 'BAD_SHAPE'],
    ['unknown type', '{"type":"hello"}', 'UNKNOWN_TYPE'],
    ['server-only type', '{"type":"welcome"}', 'UNKNOWN_TYPE'],
    ['type in other case', '{"type":"JOIN"}', 'UNKNOWN_TYPE'],
    ['__proto__ type', '{"type":"__proto__"}', 'UNKNOWN_TYPE'],
    ['join without room', JSON.stringify({ type: 'join', v: 1, peerId: ID }), 'BAD_SHAPE'],
    ['join without v', JSON.stringify({ type: 'join', room: 'lobby', peerId: ID }), 'BAD_SHAPE'],
    ['join with string v', join({ v: '1' }), 'BAD_SHAPE'],
    ['join with fractional v', join({ v: 1.5 }), 'BAD_SHAPE'],
    ['join with empty room', join({ room: '' }), 'BAD_SHAPE'],
    ['join with slash in room', join({ room: 'a/b' }), 'BAD_SHAPE'],
    ['join with space in room', join({ room: 'a b' }), 'BAD_SHAPE'],
    ['join with room too long', join({ room: 'r'.repeat(MAX_ROOM_NAME_CHARS + 1) }), 'BAD_SHAPE'],
    ['join with uppercase peer id', join({ peerId: ID.toUpperCase() }), 'BAD_SHAPE'],
    ['join with short peer id', join({ peerId: ID.slice(1) }), 'BAD_SHAPE'],
    ['join with numeric peer id', join({ peerId: 7 }), 'BAD_SHAPE'],
    ['join with extra key', join({ admin: true }), 'BAD_SHAPE'],
    ['signal without to', JSON.stringify({ type: 'signal', data: {} }), 'BAD_SHAPE'],
    ['signal without data', JSON.stringify({ type: 'signal', to: ID }), 'BAD_SHAPE'],
    ['signal with string data', JSON.stringify({ type: 'signal', to: ID, data: 'sdp' }), 'BAD_SHAPE'],
    ['signal with null data', JSON.stringify({ type: 'signal', to: ID, data: null }), 'BAD_SHAPE'],
    ['signal with array data', JSON.stringify({ type: 'signal', to: ID, data: [] }), 'BAD_SHAPE'],
    ['signal with forged from', JSON.stringify({ type: 'signal', to: ID, from: ID2, data: {} }), 'BAD_SHAPE'],
    ['signal to a non-uuid', JSON.stringify({ type: 'signal', to: 'everyone', data: {} }), 'BAD_SHAPE'],
    ['leave with extra key', '{"type":"leave","room":"x"}', 'BAD_SHAPE'],
  ];

  it.each(malformed)('rejects %s', (_name, frame, code) => {
    const result = parseClientMessage(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('has a table of at least 25 malformed frames', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(25);
  });

  it('accepts each valid client message', () => {
    expect(parseClientMessage(join())).toEqual({ ok: true, value: { type: 'join', v: PROTOCOL_VERSION, room: 'lobby', peerId: ID } });
    expect(parseClientMessage(JSON.stringify({ type: 'signal', to: ID, data: { sdp: 'x', nested: { a: [1] } } }))).toMatchObject({ ok: true });
    expect(parseClientMessage('{"type":"leave"}')).toEqual({ ok: true, value: { type: 'leave' } });
    // Another version still parses: refusing it with VERSION_MISMATCH is the server's decision.
    expect(parseClientMessage(join({ v: PROTOCOL_VERSION + 1 }))).toMatchObject({ ok: true });
  });

  it('accepts a room name of exactly the maximum length and one character', () => {
    expect(parseClientMessage(join({ room: 'r'.repeat(MAX_ROOM_NAME_CHARS) })).ok).toBe(true);
    expect(parseClientMessage(join({ room: 'a' })).ok).toBe(true);
    expect(parseClientMessage(join({ room: 'A-z_0.9' })).ok).toBe(true);
  });
});

describe('parseServerMessage', () => {
  const welcome = (fields: Record<string, unknown>): string =>
    JSON.stringify({ type: 'welcome', v: PROTOCOL_VERSION, room: 'lobby', peerId: ID, peers: [], iceServers: [], ...fields });
  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

  it('accepts a peer list of MAX_PEER_LIST and refuses one more', () => {
    expect(parseServerMessage(welcome({ peers: ids(MAX_PEER_LIST) })).ok).toBe(true);
    expect(parseServerMessage(welcome({ peers: ids(MAX_PEER_LIST + 1) }))).toMatchObject({ ok: false, error: { code: 'BAD_SHAPE' } });
  });

  it('accepts MAX_ICE_SERVERS ICE servers and refuses one more', () => {
    const servers = (n: number) => Array.from({ length: n }, () => ({ urls: 'stun:s.example.test' }));
    expect(parseServerMessage(welcome({ iceServers: servers(MAX_ICE_SERVERS) })).ok).toBe(true);
    expect(parseServerMessage(welcome({ iceServers: servers(MAX_ICE_SERVERS + 1) })).ok).toBe(false);
  });

  it('accepts an error message of MAX_ERROR_MESSAGE_CHARS and refuses one more, and unknown codes', () => {
    const error = (message: string, code = 'BAD_JSON') => JSON.stringify({ type: 'error', code, message });
    expect(parseServerMessage(error('m'.repeat(MAX_ERROR_MESSAGE_CHARS))).ok).toBe(true);
    expect(parseServerMessage(error('m'.repeat(MAX_ERROR_MESSAGE_CHARS + 1))).ok).toBe(false);
    expect(parseServerMessage(error('m', 'SOMETHING_NEW')).ok).toBe(false);
  });

  it('accepts relayed signals, peer events and errors with ref', () => {
    expect(parseServerMessage(JSON.stringify({ type: 'signal', from: ID, data: { type: 'offer' } })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'peer-joined', peerId: ID })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'peer-left', peerId: ID })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'error', code: 'ROOM_FULL', message: 'full', ref: 'join' })).ok).toBe(true);
    expect(parseServerMessage(JSON.stringify({ type: 'join' }))).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TYPE' } });
  });
});

describe('schemasByType', () => {
  it('gives each option of the peer protocol under its own type, and none for a type it lacks', () => {
    const schemas = schemasByType(PeerMessageSchema);
    expect(schemas.size).toBe(PeerMessageSchema.options.length);
    for (const option of PeerMessageSchema.options) expect(schemas.get(option.entries.type.literal)).toBe(option);
    expect(schemas.get('__proto__')).toBeUndefined();
  });

  it('refuses at load a variant whose options share a type or do not name one literal', () => {
    const one = v.strictObject({ type: v.literal('one') });
    expect(() => schemasByType(v.variant('type', [one, v.strictObject({ type: v.literal('one'), n: v.number() })]))).toThrow(/own string literal/);
    expect(() => schemasByType(v.variant('type', [one, v.strictObject({ type: v.picklist(['two', 'three']) })]))).toThrow(/own string literal/);
  });
});
