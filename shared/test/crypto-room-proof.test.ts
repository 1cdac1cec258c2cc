import { describe, expect, it } from 'vitest';
import { deriveRoomKey, ROOM_KEY_MAC_SCHEME, ROOM_NAME_PATTERN, utf8Encode } from '../src/index';

const FAST = { iterations: 1000 };
const transcript = utf8Encode('["shoal/room-proof/v1","room","a","n1","b","n2"]');

describe('private room rendezvous and room-key proof', () => {
  it('meets everyone who typed the room name at one server room, whatever their passphrase', async () => {
    const a = await deriveRoomKey('team', 'correct horse', FAST);
    const b = await deriveRoomKey('team', 'wrong horse', FAST);
    const other = await deriveRoomKey('team2', 'correct horse', FAST);
    expect(a.rendezvousId).toBe(b.rendezvousId);
    expect(a.rendezvousId).not.toBe(other.rendezvousId);
    expect(ROOM_NAME_PATTERN.test(a.rendezvousId)).toBe(true);
    // Nothing of the passphrase-derived room id or the name is in it.
    expect(a.rendezvousId).not.toBe(a.roomId);
    expect(a.rendezvousId).not.toContain('team');
  });

  it('accepts a proof made with the same passphrase and refuses one made with another', async () => {
    const a = await deriveRoomKey('team', 'correct horse', FAST);
    const same = await deriveRoomKey('team', 'correct horse', FAST);
    const wrong = await deriveRoomKey('team', 'wrong horse', FAST);
    expect(a.proof.scheme).toBe(ROOM_KEY_MAC_SCHEME);
    const proof = await a.proof.prove(transcript);
    expect(proof).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await same.proof.check(transcript, proof)).toBe(true);
    expect(await wrong.proof.check(transcript, proof)).toBe(false);
    expect(await same.proof.check(utf8Encode('another transcript'), proof)).toBe(false);
    expect(await same.proof.check(transcript, '!not base64')).toBe(false);
  });
});
