import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands';
import type { PeerEvent } from '../src/peer-events';
import { withText } from '../src/testing/event-log';
import { testPeers } from './test-peers';

const { peer, cleanup } = testPeers();
afterAll(cleanup);

/** Nothing listens there: these peers can only meet through pasted invite codes. */
const NO_SERVER = 'ws://127.0.0.1:9/';

describe('/invite between two Node peers without any signal server', () => {
  it('links them by invite and answer codes, and they chat', async () => {
    const link = 'http://127.0.0.1:9/#manual-room';
    const alice = await peer([link, '--name', 'alice', '--signal', NO_SERVER]);
    const bob = await peer([link, '--name', 'bob', '--signal', NO_SERVER]);
    const printed: string[] = [];
    const io = (log: { emit(event: PeerEvent): void }) => ({ print: (line: string) => printed.push(line), emit: log.emit, quit: () => undefined });

    await runCommand('/invite', alice.room, io(alice));
    const invite = await alice.waitFor('an invite code', (e) => e.type === 'invite');
    if (invite.type !== 'invite') throw new Error('unreachable');
    await runCommand(`/invite ${invite.code}`, bob.room, io(bob));
    const answer = await bob.waitFor('an answer code', (e) => e.type === 'invite');
    if (answer.type !== 'invite') throw new Error('unreachable');
    await runCommand(`/invite ${answer.code}`, alice.room, io(alice));

    await alice.waitFor('bob online', (e) => e.type === 'peer' && e.name === 'bob' && e.state === 'online');
    await runCommand('hello over a pasted link', alice.room, io(alice));
    await bob.waitForMessage('the message', withText('hello over a pasted link'));
    await runCommand('/peers', bob.room, io(bob));
    expect(printed.some((line) => line.includes('alice') && line.includes('online'))).toBe(true);
  });

  it('reports a pasted code that is not one as INVITE_FAILED and an unknown command as BAD_COMMAND', async () => {
    const solo = await peer(['http://127.0.0.1:9/#manual-solo', '--signal', NO_SERVER]);
    const io = { print: () => undefined, emit: solo.emit, quit: () => undefined };
    await runCommand('/invite not-a-code', solo.room, io);
    await runCommand('/dance', solo.room, io);
    const codes = solo.events.filter((e) => e.type === 'error').map((e) => (e.type === 'error' ? e.code : ''));
    expect(codes).toEqual(['INVITE_FAILED', 'BAD_COMMAND']);
  });
});
