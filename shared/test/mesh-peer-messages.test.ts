import { describe, expect, it } from 'vitest';
import {
  type LegacyMessage,
  type RoomEvent,
  MAX_BODY_CHARS,
  MAX_HELD_SEQS,
  MAX_HISTORY_BATCH,
  MAX_HOPS,
  MAX_IHAVE_IDS,
  MAX_NAME_CHARS,
  MAX_PEER_FRAME_BYTES,
  MAX_PEER_LIST,
  MAX_SHUFFLE_PEERS,
  MAX_SHUFFLE_TTL,
  MAX_TOPOLOGY_ENTRIES,
  MAX_TYPING_SHOW_MS,
  MAX_VECTOR_ENTRIES,
  parsePeerMessage,
  toRoomEvent,
} from '../src/index';
import { peerIdOf, ROOM, uuid } from './helpers/sim';

const message = (overrides: Partial<LegacyMessage> = {}): LegacyMessage => ({
  id: uuid(2, 1), room: ROOM, author: peerIdOf(1), seq: 1, lamport: 1, sentAt: 0, name: 'n', body: 'b',
  publicKey: 'A'.repeat(43), signature: 'B'.repeat(86), ...overrides,
});

const codeOf = (value: unknown) => {
  const result = parsePeerMessage(typeof value === 'string' ? value : JSON.stringify(value));
  return result.ok ? 'OK' : result.error.code;
};

describe('peer message parsing', () => {
  it('gives stable codes for non-JSON, non-objects, unknown types and bad shapes', () => {
    expect(codeOf('{')).toBe('BAD_JSON');
    expect(codeOf('[]')).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'teleport' })).toBe('UNKNOWN_TYPE');
    expect(codeOf({ type: 'ping', nonce: 'A'.repeat(22), t: 1, extra: true })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'ping', nonce: 'A'.repeat(22), t: 1 })).toBe('OK');
  });

  it('accepts a frame of exactly MAX_PEER_FRAME_BYTES and refuses one byte more', () => {
    const base = JSON.stringify({ type: 'ping', nonce: 'A'.repeat(22), t: 1 });
    const padded = (bytes: number) => base.slice(0, -1) + ' '.repeat(bytes - base.length) + '}';
    expect(codeOf(padded(MAX_PEER_FRAME_BYTES))).toBe('OK');
    expect(codeOf(padded(MAX_PEER_FRAME_BYTES + 1))).toBe('TOO_LARGE');
    // Multi-byte text: under the limit in UTF-16 units, over it in UTF-8 bytes.
    const wide = base.slice(0, -1) + ',"x":"' + 'é'.repeat(MAX_PEER_FRAME_BYTES / 2) + '"}';
    expect(wide.length).toBeLessThan(MAX_PEER_FRAME_BYTES);
    expect(codeOf(wide)).toBe('TOO_LARGE');
  });

  it.each([
    ['name', { name: 'x'.repeat(MAX_NAME_CHARS) }, { name: 'x'.repeat(MAX_NAME_CHARS + 1) }],
    ['body', { body: 'x'.repeat(MAX_BODY_CHARS) }, { body: 'x'.repeat(MAX_BODY_CHARS + 1) }],
    ['empty body', { body: 'x' }, { body: '' }],
    ['seq', { seq: 1 }, { seq: 0 }],
    ['lamport', { lamport: 2 ** 48 }, { lamport: 2 ** 48 + 1 }],
    ['id', { id: uuid(0xabc, 5) }, { id: uuid(0xabc, 5).toUpperCase() }],
    ['publicKey', { publicKey: 'A'.repeat(128) }, { publicKey: 'A'.repeat(129) }],
  ] as const)('limits chat %s at N and N+1', (_field, okPatch, badPatch) => {
    expect(codeOf({ type: 'chat', hops: 1, message: message(okPatch) })).toBe('OK');
    expect(codeOf({ type: 'chat', hops: 1, message: message(badPatch) })).toBe('BAD_SHAPE');
  });

  it('limits a typing frame’s showMs to 0..MAX_TYPING_SHOW_MS and allows no other field', () => {
    expect(codeOf({ type: 'typing', showMs: MAX_TYPING_SHOW_MS })).toBe('OK');
    expect(codeOf({ type: 'typing', showMs: 0 })).toBe('OK');
    expect(codeOf({ type: 'typing', showMs: MAX_TYPING_SHOW_MS + 1 })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'typing', showMs: -1 })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'typing', showMs: 1.5 })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'typing', showMs: 1, name: 'Ada' })).toBe('BAD_SHAPE');
  });

  it('limits hops at MAX_HOPS', () => {
    expect(codeOf({ type: 'chat', hops: MAX_HOPS, message: message() })).toBe('OK');
    expect(codeOf({ type: 'chat', hops: MAX_HOPS + 1, message: message() })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'chat', hops: 0, message: message() })).toBe('BAD_SHAPE');
  });

  it('limits version vectors to MAX_VECTOR_ENTRIES authors', () => {
    const vector = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [uuid(1, i), i]));
    expect(codeOf({ type: 'history-req', vector: vector(MAX_VECTOR_ENTRIES) })).toBe('OK');
    expect(codeOf({ type: 'history-req', vector: vector(MAX_VECTOR_ENTRIES + 1) })).toBe('BAD_SHAPE');
    // A "__proto__" key from JSON.parse is an own property: it must never reach the parsed vector.
    const parsed = parsePeerMessage('{"type":"history-req","vector":{"__proto__":{"polluted":1}}}');
    const stripped = parsed.ok && parsed.value.type === 'history-req' ? parsed.value.vector : null;
    expect(stripped === null || Object.getPrototypeOf(stripped) === Object.prototype).toBe(true);
    expect(stripped === null || Object.keys(stripped).length === 0).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('limits the held seqs of a history request to MAX_HELD_SEQS in all', () => {
    const seqs = (n: number) => Array.from({ length: n }, (_, i) => i + 2);
    const req = (held: unknown) => ({ type: 'history-req', vector: { [uuid(1, 1)]: 1 }, held });
    expect(codeOf(req({ [uuid(1, 1)]: seqs(MAX_HELD_SEQS) }))).toBe('OK');
    expect(codeOf(req({ [uuid(1, 1)]: seqs(MAX_HELD_SEQS + 1) }))).toBe('BAD_SHAPE');
    const half = MAX_HELD_SEQS / 2;
    expect(codeOf(req({ [uuid(1, 1)]: seqs(half), [uuid(1, 2)]: seqs(half + 1) }))).toBe('BAD_SHAPE');
    expect(codeOf(req({ [uuid(1, 1)]: [0] }))).toBe('BAD_SHAPE');
    expect(codeOf(req({ 'not-a-uuid': [2] }))).toBe('BAD_SHAPE');
  });

  it('limits topology frames to MAX_TOPOLOGY_ENTRIES entries of MAX_PEER_LIST neighbours', () => {
    const entry = (neighbours: number) => ({
      peerId: peerIdOf(1), name: 'n', version: 1, neighbours: Array.from({ length: neighbours }, (_, i) => peerIdOf(i + 2)),
    });
    const frame = (entries: number, neighbours = 1) => ({ type: 'topology', entries: Array(entries).fill(entry(neighbours)) });
    expect(codeOf(frame(MAX_TOPOLOGY_ENTRIES))).toBe('OK');
    expect(codeOf(frame(MAX_TOPOLOGY_ENTRIES + 1))).toBe('BAD_SHAPE');
    expect(codeOf(frame(0))).toBe('BAD_SHAPE');
    expect(codeOf(frame(1, MAX_PEER_LIST))).toBe('OK');
    expect(codeOf(frame(1, MAX_PEER_LIST + 1))).toBe('BAD_SHAPE');
    // The largest frame a peer may build fits under the frame cap.
    expect(JSON.stringify(frame(MAX_TOPOLOGY_ENTRIES, MAX_PEER_LIST)).length).toBeLessThan(MAX_PEER_FRAME_BYTES);
    expect(codeOf({ type: 'degree-full', peers: Array.from({ length: MAX_PEER_LIST + 1 }, (_, i) => peerIdOf(i)) })).toBe('BAD_SHAPE');
  });

  it('limits ihave and graft frames to MAX_IHAVE_IDS event ids; an ihave names at least one', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => uuid(2, i));
    for (const type of ['ihave', 'graft'] as const) {
      expect(codeOf({ type, ids: ids(MAX_IHAVE_IDS) })).toBe('OK');
      expect(codeOf({ type, ids: ids(MAX_IHAVE_IDS + 1) })).toBe('BAD_SHAPE');
    }
    expect(codeOf({ type: 'ihave', ids: [] })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'graft', ids: [] })).toBe('OK');
    // v2 event ids (43-character hashes) and v1 UUIDs; nothing else.
    expect(codeOf({ type: 'ihave', ids: ['A'.repeat(43)] })).toBe('OK');
    expect(codeOf({ type: 'ihave', ids: ['A'.repeat(44)] })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'prune' })).toBe('OK');
    expect(codeOf({ type: 'prune', ids: [] })).toBe('BAD_SHAPE');
  });

  it('limits shuffles to MAX_SHUFFLE_PEERS peers (at least one) and MAX_SHUFFLE_TTL hops, and their replies to MAX_SHUFFLE_PEERS', () => {
    const peers = (n: number) => Array.from({ length: n }, (_, i) => peerIdOf(i));
    const walk = 'W'.repeat(22);
    expect(codeOf({ type: 'shuffle', walk, ttl: MAX_SHUFFLE_TTL, peers: peers(MAX_SHUFFLE_PEERS) })).toBe('OK');
    expect(codeOf({ type: 'shuffle', walk, ttl: MAX_SHUFFLE_TTL, peers: peers(MAX_SHUFFLE_PEERS + 1) })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle', walk, ttl: MAX_SHUFFLE_TTL + 1, peers: peers(1) })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle', walk, ttl: 0, peers: peers(1) })).toBe('OK');
    expect(codeOf({ type: 'shuffle', walk, ttl: -1, peers: peers(1) })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle', walk, ttl: 1.5, peers: peers(1) })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle', walk, ttl: 1, peers: [] })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle', walk, ttl: 1, peers: ['not-a-peer-id'] })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle', walk: 'short', ttl: 1, peers: peers(1) })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle-reply', walk, peers: peers(MAX_SHUFFLE_PEERS) })).toBe('OK');
    expect(codeOf({ type: 'shuffle-reply', walk, peers: peers(MAX_SHUFFLE_PEERS + 1) })).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'shuffle-reply', walk, peers: [] })).toBe('OK');
    expect(codeOf({ type: 'shuffle-reply', walk, peers: [], ttl: 1 })).toBe('BAD_SHAPE');
  });

  it('limits history batches to MAX_HISTORY_BATCH messages', () => {
    const batch = (n: number) => ({ type: 'history-batch', more: false, messages: Array.from({ length: n }, (_, i) => message({ id: uuid(2, i) })) });
    expect(codeOf(batch(MAX_HISTORY_BATCH))).toBe('OK');
    expect(codeOf(batch(MAX_HISTORY_BATCH + 1))).toBe('BAD_SHAPE');
  });

  it('re-parses a stored message and refuses a tampered row', () => {
    expect(toRoomEvent(message())).toEqual(message());
    expect(toRoomEvent({ ...message(), body: 42 })).toBeNull();
    expect(toRoomEvent({ ...message(), html: '<b>' })).toBeNull();
  });
});
