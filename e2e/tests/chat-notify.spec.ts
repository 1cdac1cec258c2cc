import { type BrowserContext, type Page, expect, test } from '@playwright/test';
import { expectNoPageErrors, messageLog, newRoomName, openPeer, sendMessage, uniqueText, waitForFullMesh, waitForMessages } from '../fixtures/tabs';

declare global {
  interface Window {
    shoalNotes?: Array<{ title: string; body: string }>;
  }
}

/** A Notification that records instead of showing (headless Chromium has no desktop), always granted. */
function recordNotifications(context: BrowserContext) {
  return context.addInitScript(() => {
    window.shoalNotes = [];
    class RecordedNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string, options: { body: string }) {
        window.shoalNotes?.push({ title, body: options.body });
      }
    }
    Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true });
  });
}

/** Makes the page believe its tab is hidden or shown (headless tabs are always "visible"). */
function setHidden(page: Page, hidden: boolean) {
  return page.evaluate((isHidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (isHidden ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('a mention picked from "@" highlights the message and notifies the hidden tab; the new line marks where it left off', async ({ browser }) => {
  const room = newRoomName('notify');
  const adaContext = await browser.newContext();
  const brianContext = await browser.newContext();
  const ada = await openPeer(adaContext, room, 'Ada');
  await recordNotifications(brianContext);
  const brian = await openPeer(brianContext, room, 'Brian');
  await waitForFullMesh([ada, brian]);
  const before = uniqueText('before');
  await sendMessage(brian, before);
  await waitForMessages([ada], [before]);

  await brian.page.getByRole('combobox', { name: 'Notifications' }).selectOption('mentions');
  await setHidden(brian.page, true);
  await sendMessage(ada, uniqueText('not for brian'));
  const composer = ada.page.getByRole('textbox', { name: 'Message' });
  await composer.fill('lunch, @Br');
  await expect(ada.page.getByRole('option', { name: '@Brian' })).toBeVisible();
  await composer.press('Enter');
  await expect(composer).toHaveValue('lunch, @Brian ');
  await composer.pressSequentially('at noon?');
  await composer.press('Enter');

  await expect.poll(() => brian.page.evaluate(() => window.shoalNotes ?? [])).toEqual([{ title: `Ada mentioned you in #${room}`, body: 'lunch, @Brian at noon?' }]);
  await expect(brian.page).toHaveTitle(new RegExp(`^\\(2\\) ${room}`));
  const mention = messageLog(brian.page).locator('li[data-message-id]').filter({ hasText: 'lunch, @Brian at noon?' });
  await expect(mention).toContainText('mentions you');
  await setHidden(brian.page, false);
  await expect(brian.page).toHaveTitle(new RegExp(`^${room}`));
  const line = messageLog(brian.page).getByText('New messages since you left');
  await expect(line).toHaveCount(1);
  expectNoPageErrors([ada, brian]);
  await adaContext.close();
  await brianContext.close();
});
