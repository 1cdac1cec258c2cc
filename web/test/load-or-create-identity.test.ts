import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createIdentity, toRoomEvent } from '@shoal/shared';
import { openHistoryDb } from '../src/store/history-idb';
import { loadOrCreateIdentity } from '../src/store/load-or-create-identity';

let dbCount = 0;

/** Writes `row` as the identity row, bypassing the typed store (as corruption or a script would). */
async function writeIdentityRow(name: string, row: unknown): Promise<void> {
  const raw = await openDB(name);
  await raw.put('keys', row, 'identity');
  raw.close();
}

/** A database whose identity row is `row` (none when omitted); returns its name. */
async function storeWithRow(...row: [unknown?]): Promise<string> {
  const name = `identity-${++dbCount}`;
  (await openHistoryDb({ name, parse: toRoomEvent })).close();
  if (row.length > 0) await writeIdentityRow(name, row[0]);
  return name;
}

async function loadFrom(name: string) {
  const db = await openHistoryDb({ name, parse: toRoomEvent });
  try {
    return await loadOrCreateIdentity(db.keys);
  } finally {
    db.close();
  }
}

const ed25519 = () => crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);

describe('loadOrCreateIdentity', () => {
  it('creates and stores an identity on first use, without a warning', async () => {
    const name = await storeWithRow();
    const first = await loadFrom(name);
    expect(first.replaced).toBeNull();
    const second = await loadFrom(name);
    expect(second.identity.fingerprint).toBe(first.identity.fingerprint);
    expect(second.replaced).toBeNull();
  });

  it('keeps a stored identity that parses and works', async () => {
    const pair = await ed25519();
    const name = await storeWithRow(pair);
    const loaded = await loadFrom(name);
    expect(loaded.replaced).toBeNull();
    expect(loaded.identity.fingerprint).toBe((await createIdentity(pair)).fingerprint);
  });

  it('replaces a row of plain objects shaped like keys (the crash of "Cannot read properties of undefined")', async () => {
    const fake = { publicKey: {}, privateKey: {} };
    const name = await storeWithRow(fake);
    const loaded = await loadFrom(name);
    expect(loaded.replaced).toBe('NOT_A_CRYPTO_KEY');
    // The replacement was saved: the next open uses it and does not warn again.
    const next = await loadFrom(name);
    expect(next.replaced).toBeNull();
    expect(next.identity.fingerprint).toBe(loaded.identity.fingerprint);
  });

  it.each([
    ['string', 'garbage', 'NOT_A_KEY_PAIR'],
    ['number', 42, 'NOT_A_KEY_PAIR'],
    ['null', null, 'NOT_A_KEY_PAIR'],
    ['empty object', {}, 'NOT_A_KEY_PAIR'],
    ['pair without a private key', { publicKey: {} }, 'NOT_A_KEY_PAIR'],
    [
      'plain objects copying a CryptoKey\'s fields',
      {
        publicKey: { type: 'public', algorithm: { name: 'Ed25519' }, usages: ['verify'], extractable: true },
        privateKey: { type: 'private', algorithm: { name: 'Ed25519' }, usages: ['sign'], extractable: false },
      },
      'NOT_A_CRYPTO_KEY',
    ],
  ] as const)('replaces a row that is a %s with a warning', async (_kind, row, code) => {
    const loaded = await loadFrom(await storeWithRow(row));
    expect(loaded.replaced).toBe(code);
    expect(loaded.identity.fingerprint).toMatch(/\S/);
  });

  it('replaces a pair whose keys are swapped', async () => {
    const pair = await ed25519();
    const loaded = await loadFrom(await storeWithRow({ publicKey: pair.privateKey, privateKey: pair.publicKey }));
    expect(loaded.replaced).toBe('WRONG_KEY');
  });

  it('replaces a pair of keys of another algorithm', async () => {
    const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const loaded = await loadFrom(await storeWithRow({ publicKey: aes, privateKey: aes }));
    expect(loaded.replaced).toBe('WRONG_KEY');
  });

  it('replaces a pair whose public key belongs to another private key (every signature would fail)', async () => {
    const [one, two] = [await ed25519(), await ed25519()];
    const loaded = await loadFrom(await storeWithRow({ publicKey: one.publicKey, privateKey: two.privateKey }));
    expect(loaded.replaced).toBe('UNUSABLE');
    const data = new TextEncoder().encode('x');
    const signature = await loaded.identity.sign(data);
    expect(signature).toMatch(/^[A-Za-z0-9_-]+$/);
    expect([(await createIdentity(one)).fingerprint, (await createIdentity(two)).fingerprint]).not.toContain(loaded.identity.fingerprint);
  });
});
