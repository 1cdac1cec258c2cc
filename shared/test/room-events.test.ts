import { describe, expect, it } from 'vitest';
import {
  MAX_BODY_CHARS,
  MAX_FILE_NAME_CHARS,
  MAX_REACTION_CHARS,
  MAX_STREAM_SLOTS,
  MAX_TEXT_CHARS,
  createIdentity,
  createSignatureVerifier,
  deriveRoomKey,
  encodeContent,
  generateIdentityKeyPair,
  parseContent,
  redact,
  signEvent,
  streamIdOf,
  toRoomEvent,
  verifyEvent,
} from '../src/index';
import { eventSigner } from './helpers/events';

const verifier = createSignatureVerifier();
const identity = await createIdentity(await generateIdentityKeyPair());
const sign = eventSigner(identity);

describe('room event envelopes', () => {
  it('takes a body of MAX_BODY_CHARS and refuses one more', async () => {
    const event = await sign({ body: 'x'.repeat(MAX_BODY_CHARS) });
    expect(toRoomEvent(event)).not.toBeNull();
    expect(toRoomEvent({ ...event, body: 'x'.repeat(MAX_BODY_CHARS + 1) })).toBeNull();
  });

  it('takes stream slots up to MAX_STREAM_SLOTS - 1 and refuses the next', async () => {
    const last = await streamIdOf(verifier, identity.publicKey, MAX_STREAM_SLOTS - 1);
    const event = await sign({});
    expect(toRoomEvent({ ...event, author: last })).not.toBeNull();
    expect(toRoomEvent({ ...event, author: last.replace(/\.\d+$/, `.${MAX_STREAM_SLOTS}`) })).toBeNull();
    await expect(streamIdOf(verifier, identity.publicKey, MAX_STREAM_SLOTS)).rejects.toThrow(RangeError);
  });

  it('takes event kinds of 32 characters and refuses 33', async () => {
    const event = await sign({});
    expect(toRoomEvent({ ...event, kind: 'k'.repeat(32) })).not.toBeNull();
    expect(toRoomEvent({ ...event, kind: 'k'.repeat(33) })).toBeNull();
    expect(toRoomEvent({ ...event, kind: 'Text' })).toBeNull();
  });

  it('verifies an event against its own id, stream and signature, and refuses any change', async () => {
    const event = await sign({ lamport: 5, body: encodeContent('text', { text: 'hello', name: 'ada' }) });
    expect(await verifyEvent(verifier, event)).toBe('ok');
    expect(await verifyEvent(verifier, { ...event, body: event.body.replace('hello', 'HELLO') })).toBe('bad-id');
    expect(await verifyEvent(verifier, { ...event, lamport: 6 })).toBe('bad-id');
    // Signed correctly, but into another key's stream: squatting a stream is refused by every receiver.
    const other = await createIdentity(await generateIdentityKeyPair());
    const theirs = await streamIdOf(verifier, other.publicKey, 0);
    const squat = await signEvent(identity, verifier, theirs, { room: event.room, seq: 1, lamport: 1, sentAt: 0, kind: 'text', body: event.body });
    expect(await verifyEvent(verifier, squat)).toBe('bad-author');
  });

  it('keeps a deleted event verifiable without its body, only with the author’s own delete', async () => {
    const event = await sign({ body: encodeContent('text', { text: 'gone soon', name: 'ada' }) });
    const removal = await sign({ kind: 'delete', target: event.id, body: '' });
    const header = await redact(verifier, event, removal);
    expect(JSON.stringify(header)).not.toContain('gone soon');
    expect(toRoomEvent(header)).not.toBeNull();
    expect(await verifyEvent(verifier, header)).toBe('ok');
    const stranger = await eventSigner(await createIdentity(await generateIdentityKeyPair()))({ kind: 'delete', target: event.id, body: '' });
    expect(await verifyEvent(verifier, { ...header, deletedBy: stranger })).toBe('bad-redaction');
  });

  it('is verifiable blind in a private room: the signature covers the ciphertext, not the text', async () => {
    const key = await deriveRoomKey('team', 'correct horse', { iterations: 1_000 });
    const event = await sign({ body: await key.encrypt(encodeContent('text', { text: 'secret plan', name: 'ada' })) });
    // A keeper holds no key, only a verifier: it can check authorship and integrity all the same.
    expect(await verifyEvent(createSignatureVerifier(), event)).toBe('ok');
    expect(event.body).not.toContain('secret');
  });
});

describe('event contents', () => {
  it('takes text of MAX_TEXT_CHARS and refuses one more', () => {
    expect(parseContent('text', JSON.stringify({ text: 'x'.repeat(MAX_TEXT_CHARS), name: 'a' })).ok).toBe(true);
    expect(parseContent('text', JSON.stringify({ text: 'x'.repeat(MAX_TEXT_CHARS + 1), name: 'a' })).ok).toBe(false);
    expect(parseContent('edit', JSON.stringify({ text: 'x'.repeat(MAX_TEXT_CHARS + 1) })).ok).toBe(false);
  });

  it('takes a reaction of MAX_REACTION_CHARS and refuses one more', () => {
    expect(parseContent('reaction', JSON.stringify({ emoji: 'x'.repeat(MAX_REACTION_CHARS) })).ok).toBe(true);
    expect(parseContent('reaction', JSON.stringify({ emoji: 'x'.repeat(MAX_REACTION_CHARS + 1) })).ok).toBe(false);
  });

  it('takes a file name of MAX_FILE_NAME_CHARS and refuses one more', () => {
    const file = { size: 10, type: 'text/plain', chunkSize: 65_536, hash: 'A'.repeat(43), root: 'B'.repeat(43) };
    expect(parseContent('file', JSON.stringify({ ...file, name: 'n'.repeat(MAX_FILE_NAME_CHARS) })).ok).toBe(true);
    expect(parseContent('file', JSON.stringify({ ...file, name: 'n'.repeat(MAX_FILE_NAME_CHARS + 1) })).ok).toBe(false);
  });

  it('reports bodies that are not JSON or not the kind’s shape with a code', () => {
    expect(parseContent('text', 'not json')).toMatchObject({ ok: false, error: { code: 'BAD_JSON' } });
    expect(parseContent('profile', '{"name":5}')).toMatchObject({ ok: false, error: { code: 'BAD_SHAPE' } });
    expect(parseContent('text', '{"text":"hi","name":"a","extra":1}')).toMatchObject({ ok: false, error: { code: 'BAD_SHAPE' } });
  });
});
