import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from '@playwright/test';
import { messageLog, newRoomName, openPeer, roomUrl, sendMessage, serverUrl, waitForFullMesh } from '../fixtures/tabs';

/** Serious and critical axe violations of the page as it is now, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

test('axe finds no serious or critical violation on the landing page, a room, its stats view and a private room’s passphrase page', async ({ browser }) => {
  const context = await browser.newContext();
  const landing = await context.newPage();
  await landing.goto(`${serverUrl()}/`);
  await expect(landing.getByRole('heading').first()).toBeVisible();
  expect(await seriousViolations(landing)).toEqual([]);

  const room = newRoomName('a11y');
  const ada = await openPeer(context, room, 'Ada');
  const otherContext = await browser.newContext();
  const brian = await openPeer(otherContext, room, 'Brian');
  await waitForFullMesh([ada, brian]);
  await sendMessage(brian, 'hello Ada, see https://example.org');
  await sendMessage(ada, 'hi Brian');
  const row = messageLog(ada.page).locator('li[data-message-id]').filter({ hasText: 'hello' });
  await row.hover();
  await row.getByRole('button', { name: 'React', exact: true }).click();
  await row.getByRole('button', { name: '👍', exact: true }).click();
  await expect(row.getByRole('button', { name: '👍 1', exact: true })).toBeVisible();
  expect(await seriousViolations(ada.page)).toEqual([]);

  await ada.page.getByRole('button', { name: 'Show stats' }).click();
  expect(await seriousViolations(ada.page)).toEqual([]);

  const locked = await context.newPage();
  await locked.goto(roomUrl(`p/${newRoomName('a11y-private')}`));
  await expect(locked.getByLabel('Passphrase')).toBeVisible();
  expect(await seriousViolations(locked)).toEqual([]);
  await context.close();
  await otherContext.close();
});
