import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveRoomKey, parseContent, roomKeyCodec, type SignedEvent } from '@shoal/shared';
import type { KeepingFileSwarm, TransferState } from '@shoal/shared/files';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalServer } from '../../signal-server/src/create-server';
import { WAIT_MS } from '../src/testing/event-log';
import { FILES_DATABASE_FILE } from '../src/start-peer';
import { testPeers } from './test-peers';

const { serve, peer, tempDir, cleanup } = testPeers();
let server: SignalServer;
beforeAll(async () => {
  server = await serve();
});
afterAll(cleanup);

/** Resolves when the swarm reports `fileId` complete (at once if it already is); rejects on failure or after WAIT_MS. */
function completed(swarm: KeepingFileSwarm, fileId: string): Promise<TransferState> {
  return new Promise((resolve, reject) => {
    const settle = (state: TransferState | null) => {
      if (state?.phase === 'complete') done(() => resolve(state));
      else if (state?.phase === 'failed') done(() => reject(new Error(`transfer failed: ${state.error?.code}`)));
    };
    const stop = swarm.on('transfer', (state) => state.fileId === fileId && settle(state));
    const timer = setTimeout(() => done(() => reject(new Error(`no complete transfer of ${fileId} in ${WAIT_MS} ms`))), WAIT_MS);
    const done = (then: () => void) => {
      stop();
      clearTimeout(timer);
      then();
    };
    settle(swarm.state(fileId));
  });
}

async function readAll(swarm: KeepingFileSwarm, fileId: string): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of swarm.read(fileId) ?? []) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('a keeper and files over real WebRTC', () => {
  it('a blind keeper stores a private room’s file as ciphertext, serves it to a later member alone, and still holds it after a restart', async () => {
    const dir = tempDir();
    const secretFile = join(dir, 'pass');
    writeFileSync(secretFile, 'open sesame\n');
    const marker = Buffer.from('crown-jewels-in-a-file;');
    const original = Buffer.concat(Array.from({ length: 12_000 }, (_, i) => Buffer.concat([marker, Buffer.from(String(i))])));
    const path = join(dir, 'jewels.bin');
    writeFileSync(path, original);
    const link = `${server.url}#p/file-vault`;
    const key = await deriveRoomKey('file-vault', 'open sesame');
    const keepDir = tempDir();
    const keeperArgs = ['--keeper-token', await key.keeperToken(), '--keep', keepDir, server.url];

    const writer = await peer([link, '--name', 'writer', '--passphrase-file', secretFile]);
    const keeper = await peer(keeperArgs);
    await keeper.waitFor('writer online', (e) => e.type === 'peer' && e.state === 'online');
    const shared = await writer.room.shareFile(path);
    if (!shared.ok) throw new Error(shared.error.message);
    const event: SignedEvent = shared.value;
    await completed(keeper.room.files, event.id);
    writer.peer.stop();

    const reader = await peer([link, '--name', 'reader', '--passphrase-file', secretFile]);
    await reader.waitFor('keeper online', (e) => e.type === 'peer' && e.state === 'online');
    const opened = await roomKeyCodec(key).open(event.body);
    const manifest = opened.ok ? parseContent('file', opened.text) : null;
    if (!manifest?.ok) throw new Error('manifest unreadable');
    expect(reader.room.files.fetch(event, manifest.value).ok).toBe(true);
    await completed(reader.room.files, event.id);
    expect((await readAll(reader.room.files, event.id)).equals(original)).toBe(true);

    keeper.peer.stop();
    reader.peer.stop();
    expect(readFileSync(join(keepDir, FILES_DATABASE_FILE)).includes(marker)).toBe(false);
    // Restarted with nobody else around, it resumes the file from its disk alone.
    const again = await peer(keeperArgs);
    await completed(again.room.files, event.id);
  }, 60_000);
});
