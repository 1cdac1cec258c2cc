import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveRoomKey } from '@shoal/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalServer } from '../../signal-server/src/create-server';
import { withText } from '../src/testing/event-log';
import { testPeers } from './test-peers';

const { serve, peer, tempDir, cleanup } = testPeers();
let server: SignalServer;
beforeAll(async () => {
  server = await serve();
});
afterAll(cleanup);

describe('two Node peers over real WebRTC through a real signal server', () => {
  it('chat both ways in a public room', async () => {
    const link = `${server.url}#node-chat`;
    const alice = await peer([link, '--name', 'alice']);
    const bob = await peer([link, '--name', 'bob']);
    await alice.waitFor('bob online', (e) => e.type === 'peer' && e.name === 'bob' && e.state === 'online');
    await alice.room.say('hello bob');
    const got = await bob.waitForMessage('alice message', withText('hello bob'));
    expect(got).toMatchObject({ name: 'alice', history: false, own: false });
    await bob.room.say('hi alice');
    await alice.waitForMessage('bob message', withText('hi alice'));
    alice.peer.stop();
    await bob.waitFor('alice gone or offline', (e) => e.type === 'peer' && e.name !== 'bob' && (e.state === 'offline' || e.state === 'gone'));
  });

  it('a keeper serves a private room’s history to a later joiner, and a blind keeper stores only ciphertext', async () => {
    const secretFile = join(tempDir(), 'pass');
    writeFileSync(secretFile, 'open sesame\n');
    const link = `${server.url}#p/vault`;
    const writer = await peer([link, '--name', 'writer', '--passphrase-file', secretFile]);
    const token = await (await deriveRoomKey('vault', 'open sesame')).keeperToken();
    const keepDir = tempDir();
    const keeper = await peer(['--keeper-token', token, '--keep', keepDir, server.url]);
    await keeper.waitFor('writer online', (e) => e.type === 'peer' && e.state === 'online');
    await writer.room.say('the plaintext crown jewels');
    const stored = await keeper.waitForMessage('ciphertext', (e) => e.problem === 'BLIND');
    expect(stored.text).toBeNull();
    writer.peer.stop();
    const reader = await peer([link, '--name', 'reader', '--passphrase-file', secretFile]);
    await reader.waitForMessage('history from the keeper alone', withText('the plaintext crown jewels'));
    keeper.peer.stop();
    for (const file of readdirSync(keepDir)) {
      const bytes = readFileSync(join(keepDir, file));
      expect(bytes.includes('crown jewels'), file).toBe(false);
      expect(bytes.includes('open sesame'), file).toBe(false);
    }
    expect(JSON.stringify(keeper.events)).not.toContain('crown jewels');
  });
});
