import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveRoomKey } from '@shoal/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliOptions } from '../src/cli-options';
import { resolveCli } from '../src/start-peer';

const dir = mkdtempSync(join(tmpdir(), 'shoal-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const codeOf = (argv: string[]) => {
  const result = parseCliOptions(argv);
  return result.ok ? 'ok' : result.error.code;
};

describe('shoal-peer options', () => {
  it('reads a public room link and derives the signal server from its origin', () => {
    const result = parseCliOptions(['https://chat.example/#lobby', '--name', 'bot']);
    expect(result.ok && result.value.rooms).toEqual([{ room: 'lobby', private: false, signal: ['wss://chat.example/'], link: 'https://chat.example/#lobby' }]);
    expect(result.ok && result.value.name).toBe('bot');
  });

  it('takes ?signal= from the link and lets --signal override it', () => {
    const link = 'http://h/?signal=ws://a:1/,ws://b:2/#r';
    const fromLink = parseCliOptions([link]);
    expect(fromLink.ok && fromLink.value.rooms[0]?.signal).toEqual(['ws://a:1/', 'ws://b:2/']);
    const overridden = parseCliOptions([link, '--signal', 'wss://c/']);
    expect(overridden.ok && overridden.value.rooms[0]?.signal).toEqual(['wss://c/']);
  });

  it('refuses bad input with a code', () => {
    expect(codeOf([])).toBe('NO_ROOM');
    expect(codeOf(['not a link'])).toBe('BAD_ROOM_LINK');
    expect(codeOf(['ftp://h/#r'])).toBe('BAD_ROOM_LINK');
    expect(codeOf(['http://h/'])).toBe('BAD_ROOM_LINK');
    expect(codeOf(['http://h/#bad%20name'])).toBe('BAD_ROOM_LINK');
    expect(codeOf(['http://h/#p/secret'])).toBe('NEEDS_PASSPHRASE');
    expect(codeOf(['http://h/#a', 'http://h/#b'])).toBe('TOO_MANY_ROOMS');
    expect(codeOf(['http://h/#a', '--bogus'])).toBe('UNKNOWN_OPTION');
    expect(codeOf(['http://h/#a', '--name'])).toBe('BAD_OPTION_VALUE');
    expect(codeOf(['http://h/#a', '--name', 'x'.repeat(41)])).toBe('BAD_OPTION_VALUE');
    expect(codeOf(['http://h/#a', '--signal', 'http://not-ws/'])).toBe('BAD_SIGNAL');
    expect(codeOf(['--keeper-token', 'shoalk1.garbage', '--keep', dir, 'http://h/'])).toBe('BAD_KEEPER_TOKEN');
    expect(codeOf(['--keeper-token', 'shoalk1.x', 'http://h/'])).toBe('TOKEN_NEEDS_KEEP');
  });

  it('accepts --max-events from 1 and refuses 0, fractions and words', () => {
    expect(codeOf(['http://h/#a', '--keep', dir, '--max-events', '1'])).toBe('ok');
    for (const bad of ['0', '1.5', 'ten', '-3']) expect(codeOf(['http://h/#a', '--max-events', bad])).not.toBe('ok');
  });

  it('lets a keeper start from its directory alone (it resumes the rooms it kept)', () => {
    expect(codeOf(['--keep', dir])).toBe('ok');
    expect(codeOf(['--name', 'x'])).toBe('NO_ROOM');
  });

  it('keeps several rooms only as a keeper', () => {
    const result = parseCliOptions(['http://h/#a', 'http://h/#b', '--keep', dir]);
    expect(result.ok && result.value.rooms.map((r) => r.room)).toEqual(['a', 'b']);
  });

  it('joins a blind room by keeper token, on the server named', async () => {
    const key = await deriveRoomKey('vault', 'pw', { iterations: 1_000 });
    const token = await key.keeperToken();
    const result = parseCliOptions(['--keeper-token', token, '--keep', dir, 'https://keep.example/']);
    expect(result.ok && result.value.blind).toEqual([{ room: key.roomId, signal: ['wss://keep.example/'], token }]);
  });

  it('reads the passphrase file, and names a missing or empty one', async () => {
    const file = join(dir, 'pass');
    writeFileSync(file, 'secret words\n');
    const read = await resolveCli(['http://h/#p/r', '--passphrase-file', file]);
    expect(read.ok && read.value.passphrase).toBe('secret words');
    const missing = await resolveCli(['http://h/#p/r', '--passphrase-file', join(dir, 'nope')]);
    expect(missing.ok ? 'ok' : missing.error.code).toBe('PASSPHRASE_FILE');
    writeFileSync(join(dir, 'empty'), '');
    const empty = await resolveCli(['http://h/#p/r', '--passphrase-file', join(dir, 'empty')]);
    expect(empty.ok ? 'ok' : empty.error.code).toBe('PASSPHRASE_FILE');
  });

  it('exits with status 2 and the code on stderr for a bad link and a missing passphrase file', () => {
    const bin = join(__dirname, '..', 'bin', 'shoal-peer.mjs');
    for (const [args, code] of [[['nonsense'], 'BAD_ROOM_LINK'], [['http://h/#p/r', '--passphrase-file', join(dir, 'nope')], 'PASSPHRASE_FILE']] as const) {
      const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`shoal-peer: ${code}:`);
      expect(run.stdout).toBe('');
    }
  });
});
