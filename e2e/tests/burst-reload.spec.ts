import { expect, test, type Page } from '@playwright/test';
import { counters, expectNoPageErrors, newRoomName, openPeer, waitForHooks } from '../fixtures/tabs';

const BURST = 600;

/** Sends `texts` from the composer as fast as the app takes them (input + Enter events in the page). */
async function sendBurst(page: Page, texts: readonly string[]): Promise<void> {
  const composer = await page.getByRole('textbox', { name: 'Message' }).elementHandle();
  await page.evaluate(async ({ box, bodies }) => {
    if (!(box instanceof HTMLTextAreaElement)) throw new Error('the Message textbox is not a textarea');
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
    // A task between events, so the app has rendered the new text before Enter arrives.
    const nextTask = () => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(undefined);
      channel.port2.postMessage(0);
    });
    for (const body of bodies) {
      setValue?.call(box, body);
      box.dispatchEvent(new Event('input', { bubbles: true }));
      await nextTask();
      box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      await nextTask();
    }
  }, { box: composer, bodies: texts });
}

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
