import { describe, expect, it } from 'vitest';
import {
  chatSigningBytes,
  createIdentity,
  createSignatureVerifier,
  fromBase64url,
  generateIdentityKeyPair,
  identityAlgorithm,
  signChatMessage,
  toBase64url,
  utf8Encode,
  utf8Length,
  verifyChatMessage,
  type IdentityAlgorithm,
  type UnsignedChatMessage,
} from '../src/index';
import { ROOM, peerIdOf, uuid } from './helpers/sim';

const unsigned = (publicKey: string): UnsignedChatMessage => ({
  id: uuid(2, 1),
  room: ROOM,
  author: peerIdOf(1),
  seq: 1,
  lamport: 7,
  sentAt: 1_700_000_000_000,
  name: 'Ada',
  body: 'hello "world" \u{1F41F}',
  publicKey,
});

describe('base64url', () => {
  it('round-trips every length and rejects characters outside the alphabet', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = toBase64url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64url(text)).toEqual(bytes);
    }
    expect(fromBase64url('ab+c')).toBeNull();
    expect(fromBase64url('abcde')).toBeNull();
  });
});

describe('utf8Length', () => {
  it('is the length of the encoding for any text, past its scratch buffer and split surrogates too', () => {
    const texts = ['', 'plain', 'é', '\u{1F41F}', '\ud83d', 'x\udc00y', 'a'.repeat(40_000) + '\u{1F41F}' + 'é'.repeat(20_000), '\u{1F41F}'.repeat(30_000), 'x'.repeat(49_151) + '\u{1F41F}'];
    for (const text of texts) expect(utf8Length(text)).toBe(utf8Encode(text).length);
  });
});

describe.each<IdentityAlgorithm>(['Ed25519', 'ECDSA-P256'])('identity with %s', (algorithm) => {
  it('signs messages that verify, with a non-extractable private key', async () => {
    const pair = await generateIdentityKeyPair({ algorithm });
    expect(identityAlgorithm(pair)).toBe(algorithm);
    expect(pair.privateKey.extractable).toBe(false);
    const identity = await createIdentity(pair);
    const verifier = createSignatureVerifier();
    const message = await signChatMessage(identity, unsigned(identity.publicKey));
    expect(await verifyChatMessage(verifier, message)).toBe(true);
  });

  it('rejects a message whose any signed field was altered', async () => {
    const identity = await createIdentity(await generateIdentityKeyPair({ algorithm }));
    const verifier = createSignatureVerifier();
    const message = await signChatMessage(identity, unsigned(identity.publicKey));
    const alterations = [
      { id: uuid(2, 2) },
      { author: peerIdOf(2) },
      { seq: 2 },
      { lamport: 8 },
      { sentAt: 1 },
      { name: 'Eve' },
      { body: 'hello world' },
    ];
    for (const change of alterations) expect(await verifyChatMessage(verifier, { ...message, ...change })).toBe(false);
  });

  it('gives a stable, grouped fingerprint that the verifier computes identically', async () => {
    const pair = await generateIdentityKeyPair({ algorithm });
    const first = await createIdentity(pair);
    const again = await createIdentity(pair);
    expect(first.fingerprint).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(await createSignatureVerifier().fingerprint(first.publicKey)).toBe(first.fingerprint);
  });
});

describe('signature verifier', () => {
  it('does not accept a signature made by another key', async () => {
    const alice = await createIdentity(await generateIdentityKeyPair());
    const mallory = await createIdentity(await generateIdentityKeyPair());
    const forged = await signChatMessage(mallory, unsigned(mallory.publicKey));
    expect(await verifyChatMessage(createSignatureVerifier(), { ...forged, publicKey: alice.publicKey })).toBe(false);
  });

  it('returns false (never throws) for keys and signatures that are not valid', async () => {
    const verifier = createSignatureVerifier();
    const data = new Uint8Array([1, 2, 3]);
    expect(await verifier.verify('not base64!', 'AAAA', data)).toBe(false);
    expect(await verifier.verify(toBase64url(new Uint8Array(20)), 'AAAA', data)).toBe(false);
    // 65 bytes with the uncompressed-point prefix but not on the curve
    const offCurve = new Uint8Array(65).fill(7);
    offCurve[0] = 4;
    expect(await verifier.verify(toBase64url(offCurve), toBase64url(new Uint8Array(64)), data)).toBe(false);
  });

  it('keeps at most maxCachedKeys imported keys and still verifies evicted ones', async () => {
    const verifier = createSignatureVerifier({ maxCachedKeys: 2 });
    const ids = await Promise.all([0, 1, 2].map(async () => createIdentity(await generateIdentityKeyPair())));
    const messages = await Promise.all(ids.map((id) => signChatMessage(id, unsigned(id.publicKey))));
    for (let round = 0; round < 2; round++) {
      for (const m of messages) expect(await verifyChatMessage(verifier, m)).toBe(true);
    }
  });
});

describe('canonical signing bytes', () => {
  it('are unambiguous when text moves between adjacent fields', () => {
    const a = chatSigningBytes({ ...unsigned('k'), name: 'ab', body: 'c' });
    const b = chatSigningBytes({ ...unsigned('k'), name: 'a', body: 'bc' });
    expect(a).not.toEqual(b);
  });
});
