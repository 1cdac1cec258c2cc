import { expect, test } from '@playwright/test';
import { sendBurst } from '../fixtures/composer-burst.mjs';
import { counters, expectNoPageErrors, newRoomName, openPeer, waitForHooks } from '../fixtures/tabs';

const BURST = 600;

// Regression: own messages wait in a localStorage outbox while IndexedDB commits lag behind a burst; an
// outbox that evicted its oldest entries lost them to a reload, and a late joiner's sync then stalled.
test('a burst of own messages survives an immediate reload and reaches a late joiner', async ({ context, browser }) => {
  const room = newRoomName();
  const author = await openPeer(context, room, 'author');
  await sendBurst(author.page, Array.from({ length: BURST }, (_, i) => `burst ${i}`));
  await expect.poll(async () => (await counters(author.page))?.delivered ?? 0).toBeGreaterThanOrEqual(BURST);
  await author.page.reload();
  author.peerId = await waitForHooks(author.page);

  const lateContext = await browser.newContext();
  try {
    const late = await openPeer(lateContext, room, 'late');
    await expect
      .poll(async () => (await counters(late.page))?.delivered ?? 0, { message: 'the late joiner holds every message', timeout: 60_000 })
      .toBeGreaterThanOrEqual(BURST);
    expectNoPageErrors([author, late]);
  } finally {
    await lateContext.close();
  }
});
