import { expect, test } from '@playwright/test';
// The Redis test helper of the signal server (one launcher for both suites, started and stopped by PID).
import { redisAvailability, startRedis } from '../../signal-server/test/redis-process';
import { startServer } from '../fixtures/server-process.mjs';
import { expectNoPageErrors, linkedPeerIds, newRoomName, openPeer, sendMessage, uniqueText, waitForMessages } from '../fixtures/tabs';

test('two tabs on two server processes sharing Redis find each other and chat', async ({ context, browser }) => {
  const availability = redisAvailability();
  // Under CI the test fails without redis-server (.ci/run installs it); locally it is skipped with the reason.
  test.skip(!availability.ok && !process.env['CI'], availability.ok ? '' : availability.reason);
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url };
  const [first, second] = [await startServer({ env }), await startServer({ env })];
  // Separate contexts (separate IndexedDB), and each tab knows only its own server: they can meet only
  // through the room the two processes share.
  const otherContext = await browser.newContext();
  try {
    const room = newRoomName();
    const a = await openPeer(context, room, 'on-first', { base: first.url, query: `signal=ws://localhost:${first.port}/` });
    const b = await openPeer(otherContext, room, 'on-second', { base: second.url, query: `signal=ws://localhost:${second.port}/` });
    await expect.poll(() => linkedPeerIds(a.page), { timeout: 30_000 }).toContain(b.peerId);
    const text = uniqueText('across processes');
    await sendMessage(a, text);
    await waitForMessages([b], [text]);
    expectNoPageErrors([a, b]);
  } finally {
    await otherContext.close();
    await first.stop();
    await second.stop();
    await redis.stop();
  }
});
