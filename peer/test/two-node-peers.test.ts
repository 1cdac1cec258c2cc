import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveRoomKey } from '@shoal/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../signal-server/src/config';
import { type SignalServer, createServer } from '../../signal-server/src/create-server';
import { type RunningPeer, resolveCli, startPeer } from '../src/start-peer';
import { eventLog, withText } from '../src/testing/event-log';

let server: SignalServer;
const running: RunningPeer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await createServer({ config: { ...DEFAULTS, staticDir: tempDir(), port: 0, host: '127.0.0.1', logLevel: 'silent' } });
});
afterAll(async () => {
  for (const peer of running) peer.stop();
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-peer-test-'));
  dirs.push(dir);
  return dir;
}

async function peer(args: string[]) {
  const log = eventLog();
  const resolved = await resolveCli(args);
  if (!resolved.ok) throw new Error(resolved.error.message);
  const started = await startPeer(resolved.value, log.emit);
  if (!started.ok) throw new Error(started.error.message);
  running.push(started.value);
  return { ...log, peer: started.value, room: started.value.rooms[0]! };
}

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
