import { afterAll, describe, expect, it } from 'vitest';
import { withText } from '../src/testing/event-log';
import { testPeers } from './test-peers';

const { serve, peer, tempDir, cleanup } = testPeers();
afterAll(cleanup);

describe('a keeper and a signal-server restart', () => {
  it('reconnects to the restarted server and serves a newcomer who could only come through it', async () => {
    const first = await serve(0);
    const link = `${first.url}#restart-room`;
    const keeper = await peer([link, '--keep', tempDir(), '--name', 'keeper']);
    const writer = await peer([link, '--name', 'writer']);
    await keeper.waitFor('writer online', (e) => e.type === 'peer' && e.name === 'writer' && e.state === 'online');
    await writer.room.say('before the restart');
    await keeper.waitForMessage('the message', withText('before the restart'));
    writer.peer.stop();

    await first.close();
    await keeper.waitFor('signaling lost', (e) => e.type === 'signaling' && e.status === 'reconnecting');
    const second = await serve(first.port);
    const reconnected = keeper.events.length;
    await keeper.waitFor('signaling back', (e) => e.type === 'signaling' && e.status === 'connected' && keeper.events.indexOf(e) >= reconnected);

    const newcomer = await peer([`${second.url}#restart-room`, '--name', 'newcomer']);
    const got = await newcomer.waitForMessage('history through the new server', withText('before the restart'));
    expect(got.history).toBe(true);
  });
});
