import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  createIdentity,
  createSignatureVerifier,
  generateIdentityKeyPair,
  MAX_SIGNAL_DEPTH,
  parsePeerMessage,
  type RoomName,
  relaySigningBytes,
  signRelaySignal,
  utf8Decode,
  verifyRelaySignal,
} from '../src/index';
import { peerIdOf, ROOM, uuid } from './helpers/sim';

const relayFrame = (overrides: Record<string, unknown> = {}) => ({
  type: 'relay-signal', id: uuid(3, 1), from: peerIdOf(1), to: peerIdOf(2), hops: 1, data: { type: 'offer', sdp: 'v=0' },
  publicKey: 'A'.repeat(43), signature: 'B'.repeat(86), ...overrides,
});
const codeOf = (value: unknown) => {
  const result = parsePeerMessage(JSON.stringify(value));
  return result.ok ? 'OK' : result.error.code;
};
/** An object nested `depth` levels below the top one. */
const nested = (depth: number): Record<string, unknown> => (depth === 0 ? { leaf: 1 } : { n: nested(depth - 1) });

describe('relay-signal and room handshake frames', () => {
  it('requires the originator key and signature on relay-signal', () => {
    expect(codeOf(relayFrame())).toBe('OK');
    const { publicKey: _k, ...unsigned } = relayFrame();
    expect(codeOf(unsigned)).toBe('BAD_SHAPE');
    const { signature: _s, ...keyOnly } = relayFrame();
    expect(codeOf(keyOnly)).toBe('BAD_SHAPE');
    expect(codeOf(relayFrame({ signature: 'B'.repeat(129) }))).toBe('BAD_SHAPE');
    expect(codeOf(relayFrame({ publicKey: 'not base64url!' }))).toBe('BAD_SHAPE');
  });

  it('limits room-proof schemes to 32 characters of [a-z0-9-]', () => {
    const proof = (scheme: string) => ({ type: 'room-proof', scheme, proof: 'C'.repeat(43) });
    expect(codeOf(proof('a'.repeat(32)))).toBe('OK');
    expect(codeOf(proof('a'.repeat(33)))).toBe('BAD_SHAPE');
    expect(codeOf(proof('Room Key'))).toBe('BAD_SHAPE');
    expect(codeOf({ type: 'room-auth', peerId: peerIdOf(1), nonce: 'A'.repeat(22) })).toBe('OK');
    expect(codeOf({ type: 'room-auth', peerId: peerIdOf(1), nonce: 'short' })).toBe('BAD_SHAPE');
  });

  it('encodes signal payloads canonically, whatever order their keys arrive in', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }] })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
    expect(canonicalJson(JSON.parse('{"sdp":"v=0","type":"offer"}'))).toBe(canonicalJson({ type: 'offer', sdp: 'v=0' }));
  });

  it(`signs payloads nested up to MAX_SIGNAL_DEPTH (${MAX_SIGNAL_DEPTH}) levels and refuses one more`, () => {
    const content = (data: Record<string, unknown>) => ({ id: uuid(3, 1), from: peerIdOf(1), to: peerIdOf(2), data });
    expect(relaySigningBytes(ROOM, content(nested(MAX_SIGNAL_DEPTH - 1)))).not.toBeNull();
    expect(relaySigningBytes(ROOM, content(nested(MAX_SIGNAL_DEPTH)))).toBeNull();
  });

  it('binds the signature to room, id, from, to and data, but not to the hop count', async () => {
    const verifier = createSignatureVerifier();
    const real = await createIdentity(await generateIdentityKeyPair());
    const content = { id: uuid(3, 1), from: peerIdOf(1), to: peerIdOf(2), data: { type: 'offer', sdp: 'v=0' } };
    const signature = await signRelaySignal(real, ROOM, content);
    expect(signature).not.toBeNull();
    const ok = (patch: Partial<typeof content>, room = ROOM) => verifyRelaySignal(verifier, room, { ...content, ...patch }, real.publicKey, signature ?? '');
    expect(await ok({})).toBe(true);
    expect(await ok({ id: uuid(3, 2) })).toBe(false);
    expect(await ok({ from: peerIdOf(3) })).toBe(false);
    expect(await ok({ to: peerIdOf(3) })).toBe(false);
    expect(await ok({ data: { type: 'offer', sdp: 'v=1' } })).toBe(false);
    expect(await ok({}, 'other-room' as RoomName)).toBe(false);
    const bytes = relaySigningBytes(ROOM, content);
    expect(bytes && utf8Decode(bytes)).toMatch(/^\["shoal\/relay-signal\/v1","test-room",/);
  });
});
