import { describe, expect, it } from 'vitest';
import { KEEPER_TOKEN_PREFIX, decodeKeeperToken, deriveRoomKey } from '../src/index';

const FAST = { iterations: 1_000 };

describe('keeper token', () => {
  it('names the hashed room and is the same for every member with the passphrase', async () => {
    const a = await deriveRoomKey('team', 'correct horse', FAST);
    const b = await deriveRoomKey('team', 'correct horse', FAST);
    const token = await a.keeperToken();
    expect(token.startsWith(KEEPER_TOKEN_PREFIX)).toBe(true);
    expect(await b.keeperToken()).toBe(token);
    const decoded = decodeKeeperToken(token);
    expect(decoded.ok && decoded.value.room).toBe(a.roomId);
  });

  it('differs between passphrases and rooms', async () => {
    const one = await (await deriveRoomKey('team', 'one', FAST)).keeperToken();
    const two = await (await deriveRoomKey('team', 'two', FAST)).keeperToken();
    const other = await (await deriveRoomKey('other', 'one', FAST)).keeperToken();
    expect(new Set([one, two, other]).size).toBe(3);
  });

  it('carries neither the passphrase nor anything that decrypts the room', async () => {
    const key = await deriveRoomKey('team', 'hunter2-secret', FAST);
    const token = await key.keeperToken();
    const decoded = decodeKeeperToken(token);
    if (!decoded.ok) throw decoded.error;
    expect(token).not.toContain('hunter2');
    // The capability is not the AES key: used as one, it opens nothing.
    const sealed = await key.encrypt('hello');
    const impostor = await deriveRoomKey('team', decoded.value.cap, FAST);
    expect((await impostor.decrypt(sealed)).ok).toBe(false);
  });

  it('rejects damaged, foreign and oversized tokens with BAD_SHAPE', async () => {
    const token = await (await deriveRoomKey('team', 'pw', FAST)).keeperToken();
    for (const bad of [token.slice(0, -5), 'shoal1.abc', `${KEEPER_TOKEN_PREFIX}${'A'.repeat(2000)}`, '', `${KEEPER_TOKEN_PREFIX}e30`]) {
      const result = decodeKeeperToken(bad);
      expect(result.ok ? 'ok' : result.error.code).toBe('BAD_SHAPE');
    }
  });
});
