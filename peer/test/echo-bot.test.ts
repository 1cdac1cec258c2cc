import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignalServer } from '../../signal-server/src/create-server';
import { withText } from '../src/testing/event-log';
import { testPeers } from './test-peers';

const { serve, peer, cleanup } = testPeers();
let server: SignalServer;
beforeAll(async () => {
  server = await serve();
});
afterAll(cleanup);

describe('the README echo bot (peer/examples/echo-bot.mjs)', () => {
  it('answers a live message in the room', async () => {
    const link = `${server.url}#echo-room`;
    const bot = spawn(process.execPath, [join(__dirname, '..', 'examples', 'echo-bot.mjs'), link], { stdio: 'ignore' });
    const log = await peer([link, '--name', 'human']);
    try {
      await log.waitFor('the bot online', (e) => e.type === 'peer' && e.name === 'echo-bot' && e.state === 'online');
      await log.room.say('ping');
      const answer = await log.waitForMessage('the echo', withText('echo: ping'));
      expect(answer.name).toBe('echo-bot');
    } finally {
      log.peer.stop();
      const exited = new Promise((done) => bot.once('exit', done));
      bot.kill('SIGTERM');
      await exited;
    }
  });
});
