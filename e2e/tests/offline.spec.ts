import { expect, test } from '@playwright/test';
import { expectNoPageErrors, messageLog, newRoomName, openPeer, sendMessage, serverUrl, uniqueText, waitForHooks } from '../fixtures/tabs';

test('the installable app opens offline after one visit and shows the stored history', async ({ browser }) => {
  const context = await browser.newContext();
  const manifest = await (await context.request.get(`${serverUrl()}/manifest.webmanifest`)).json();
  expect(manifest).toMatchObject({ name: 'Shoal', start_url: '/', display: 'standalone' });

  const ada = await openPeer(context, newRoomName('offline'), 'Ada');
  const text = uniqueText('kept for offline');
  await sendMessage(ada, text);
  // The shell is cached once the worker is active: the page, its assets and the lazily loaded room code.
  await expect
    .poll(() =>
      ada.page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        const keys = await (await caches.open('shoal-shell-v1')).keys();
        return keys.map((request) => new URL(request.url).pathname).filter((path) => path.includes('open-room') || path === '/').length;
      }),
    )
    .toBe(2);

  await context.setOffline(true);
  await ada.page.reload();
  await waitForHooks(ada.page);
  await expect(messageLog(ada.page)).toContainText(text);
  await expect(ada.page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  await context.setOffline(false);
  expectNoPageErrors([ada]);
  await context.close();
});
