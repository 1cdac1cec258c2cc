import { deriveRoomKey } from '@shoal/shared';
import { describe, expect, it } from 'vitest';
import { decodeEvent, plainCodec, roomKeyCodec } from '@shoal/shared';
import { peerId, room } from './ids';
import { chatMessage } from './messages';
import { fileEvent, manifestOf } from './fake-file-swarm';

const lobby = room('lobby');
const FAST = { iterations: 1_000 };

describe('message codecs', () => {
  it('leaves public room bodies as they are', async () => {
    const message = chatMessage(lobby, peerId(1), 1, 1);
    expect(await plainCodec.encode('hi')).toBe('hi');
    expect(await decodeEvent(plainCodec, message)).toMatchObject({ id: message.id, body: message.body, name: message.name, kind: 'text' });
  });

  it('encrypts private room bodies and shows them decrypted to holders of the passphrase', async () => {
    const codec = roomKeyCodec(await deriveRoomKey('secret-room', 'correct horse', FAST));
    const body = await codec.encode('meet at noon');
    expect(body).not.toContain('noon');
    const shown = await decodeEvent(codec, { ...chatMessage(lobby, peerId(1), 1, 1), body });
    expect(shown.body).toBe('meet at noon');
    expect(shown.problem).toBeUndefined();
  });

  it('reports a body under another passphrase as such, never as garbage', async () => {
    const theirs = roomKeyCodec(await deriveRoomKey('secret-room', 'correct horse', FAST));
    const mine = roomKeyCodec(await deriveRoomKey('secret-room', 'wrong horse', FAST));
    const shown = await decodeEvent(mine, { ...chatMessage(lobby, peerId(1), 1, 1), body: await theirs.encode('meet at noon') });
    expect(shown).toMatchObject({ body: '', problem: 'WRONG_PASSPHRASE' });
  });

  it('refuses plain text slipped into a private room', async () => {
    const codec = roomKeyCodec(await deriveRoomKey('secret-room', 'correct horse', FAST));
    const shown = await decodeEvent(codec, { ...chatMessage(lobby, peerId(1), 1, 1), body: 'not encrypted' });
    expect(shown).toMatchObject({ body: '', problem: 'NOT_ENCRYPTED' });
  });

  it('gives a file event its manifest, and marks a malformed one', async () => {
    const manifest = manifestOf({ name: 'cat.png', type: 'image/png' });
    expect(await decodeEvent(plainCodec, fileEvent(1, manifest))).toMatchObject({ kind: 'file', file: manifest, body: '' });
    const broken = { ...fileEvent(2, manifest), body: JSON.stringify({ name: 'x' }) };
    const shown = await decodeEvent(plainCodec, broken);
    expect(shown.problem).toBe('BAD_CONTENT');
    expect(shown.file).toBeUndefined();
  });
});
