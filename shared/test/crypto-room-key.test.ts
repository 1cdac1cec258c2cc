import { describe, expect, it } from 'vitest';
import { deriveRoomKey, isEnvelope, MAX_BODY_CHARS, MAX_TEXT_CHARS, ROOM_KEY_PBKDF2_ITERATIONS, ROOM_NAME_PATTERN, RoomKeyError } from '../src/index';

// Fewer iterations keep the suite fast; the derivation is the same code path as the default.
const FAST = { iterations: 1000 };

describe('private room keys', () => {
  it('derives the same key and room id from the same passphrase and room name', async () => {
    const a = await deriveRoomKey('team', 'correct horse', FAST);
    const b = await deriveRoomKey('team', 'correct horse', FAST);
    expect(a.roomId).toBe(b.roomId);
    expect(a.roomId).toMatch(/^[0-9a-f]{64}$/);
    expect(ROOM_NAME_PATTERN.test(a.roomId)).toBe(true);
    const envelope = await a.encrypt('hello ✓ 🐟');
    expect(await b.decrypt(envelope)).toEqual({ ok: true, text: 'hello ✓ 🐟' });
  });

  it('hides the text and the room name from anyone without the passphrase', async () => {
    const key = await deriveRoomKey('team', 'correct horse', FAST);
    const envelope = await key.encrypt('secret plans');
    expect(isEnvelope(envelope)).toBe(true);
    expect(envelope).not.toContain('secret');
    expect(key.roomId).not.toContain('team');
    // Fresh IV each time: the same text never yields the same envelope.
    expect(await key.encrypt('secret plans')).not.toBe(envelope);
  });

  it('reports a wrong passphrase as WRONG_PASSPHRASE, never as garbage text', async () => {
    const right = await deriveRoomKey('team', 'correct horse', FAST);
    const wrong = await deriveRoomKey('team', 'battery staple', FAST);
    expect(wrong.roomId).not.toBe(right.roomId);
    expect(await wrong.decrypt(await right.encrypt('hi'))).toEqual({ ok: false, code: 'WRONG_PASSPHRASE' });
  });

  it('gives unrelated keys for the same passphrase in two rooms', async () => {
    const one = await deriveRoomKey('one', 'pass', FAST);
    const two = await deriveRoomKey('two', 'pass', FAST);
    expect(one.roomId).not.toBe(two.roomId);
    expect((await two.decrypt(await one.encrypt('x'))).ok).toBe(false);
  });

  it('refuses malformed envelopes with BAD_ENVELOPE', async () => {
    const key = await deriveRoomKey('team', 'pass', FAST);
    for (const body of ['plain text', 'v1.', 'v1.!!!', 'v1.AAAA', 'v2.' + 'A'.repeat(60)]) {
      expect(await key.decrypt(body)).toEqual({ ok: false, code: 'BAD_ENVELOPE' });
    }
  });

  it('fits an envelope of the longest text in a chat body, and refuses longer text', async () => {
    const key = await deriveRoomKey('team', 'pass', FAST);
    const longest = await key.encrypt('€'.repeat(MAX_TEXT_CHARS));
    expect(longest.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    await expect(key.encrypt('x'.repeat(MAX_TEXT_CHARS + 1))).rejects.toMatchObject({ code: 'TEXT_TOO_LONG' });
    await expect(key.encrypt('x'.repeat(MAX_TEXT_CHARS + 1))).rejects.toBeInstanceOf(RoomKeyError);
  });

  it('uses ROOM_KEY_PBKDF2_ITERATIONS by default', async () => {
    const byDefault = await deriveRoomKey('team', 'pass');
    const explicit = await deriveRoomKey('team', 'pass', { iterations: ROOM_KEY_PBKDF2_ITERATIONS });
    expect(byDefault.roomId).toBe(explicit.roomId);
    expect(byDefault.roomId).not.toBe((await deriveRoomKey('team', 'pass', FAST)).roomId);
  }, 20_000);
});
