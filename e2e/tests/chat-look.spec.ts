import { type BrowserContext, type Page, expect, test } from '@playwright/test';
import { expectNoPageErrors, messageLog, newRoomName, openPeer, sendMessage, waitForFullMesh, waitForMessages } from '../fixtures/tabs';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** The row whose own text (not a reply's quote of it) holds `text`. */
function row(page: Page, text: string) {
  return messageLog(page).locator('li[data-message-id]').filter({ has: page.locator('.body', { hasText: text }) });
}

/** Sends markdown and waits for its row by a plain fragment (the log shows the rendered text). */
async function post(page: Page, text: string, fragment: string) {
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(row(page, fragment)).toHaveCount(1);
}

/**
 * A room with every kind of row (reply, reactions, edited, deleted, formatted), photographed at a
 * desktop and a phone size: nothing may overflow the log sideways. The PNGs land in test-results for
 * a person to look at.
 */
test('a room with replies, reactions, edits, a deletion and markdown fits desktop and phone widths', async ({ browser }, testInfo) => {
  const room = newRoomName('look');
  const contexts: BrowserContext[] = [];
  const peers = [];
  for (const [index, viewport] of VIEWPORTS.entries()) {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    contexts.push(context);
    peers.push(await openPeer(context, room, index === 0 ? 'Ada' : 'Brian'));
  }
  const [ada, brian] = peers as [(typeof peers)[number], (typeof peers)[number]];
  await waitForFullMesh([ada, brian]);

  await post(ada.page, 'Morning! Plans for the **release** today?', 'Morning!');
  await waitForMessages([brian], ['Morning!']);
  await row(brian.page, 'Morning!').hover();
  await brian.page.getByRole('button', { name: 'Reply', exact: true }).first().click();
  await post(brian.page, 'Ship at *noon*, notes on https://example.org/release-notes', 'Ship at');
  await post(ada.page, 'Quick check:\n```\nnpm run build && npm test\n```\n> all green on CI\nUse `--no-audit` locally.', 'Quick check');
  await sendMessage(brian, 'Typo in the changelgo');
  await sendMessage(brian, 'this one goes away');
  await waitForMessages([ada], ['Ship at', 'Typo in', 'this one goes away']);
  for (const [peer, text, emoji] of [[ada, 'Ship at', '🎉'], [brian, 'Ship at', '🎉'], [ada, 'Quick check', '👍'], [brian, 'Morning!', '❤️']] as const) {
    await row(peer.page, text).hover();
    await row(peer.page, text).getByRole('button', { name: 'React', exact: true }).click();
    await row(peer.page, text).getByRole('button', { name: emoji, exact: true }).click();
  }
  const composer = brian.page.getByRole('textbox', { name: 'Message' });
  await row(brian.page, 'Typo in').hover();
  await row(brian.page, 'Typo in').getByRole('button', { name: 'Edit', exact: true }).click();
  await composer.fill('Typo in the changelog');
  await composer.press('Enter');
  await row(brian.page, 'this one goes away').hover();
  await row(brian.page, 'this one goes away').getByRole('button', { name: 'Delete', exact: true }).click();
  await brian.page.getByRole('button', { name: 'Delete for everyone' }).click();
  for (const peer of [ada, brian]) {
    await expect(row(peer.page, 'Typo in the changelog')).toContainText('(edited)');
    await expect(messageLog(peer.page).getByText('Message deleted.')).toHaveCount(1);
    await expect(row(peer.page, 'Ship at').getByRole('button', { name: '🎉 2', exact: true })).toBeVisible();
  }
  await ada.page.getByRole('textbox', { name: 'Message' }).pressSequentially('and');
  await expect(brian.page.getByRole('status').filter({ hasText: 'Ada is typing…' })).toBeVisible();

  for (const [index, viewport] of VIEWPORTS.entries()) {
    const page = (index === 0 ? ada : brian).page;
    await row(page, 'Quick check').hover();
    await page.screenshot({ path: testInfo.outputPath(`room-${viewport.name}.png`) });
    const overflow = await messageLog(page).evaluate((log) => log.scrollWidth - log.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
  // Dark theme (prefers-color-scheme) at the desktop size.
  await ada.page.emulateMedia({ colorScheme: 'dark' });
  await row(ada.page, 'Ship at').hover();
  await ada.page.screenshot({ path: testInfo.outputPath('room-desktop-dark.png') });
  expectNoPageErrors([ada, brian]);
  for (const context of contexts) await context.close();
});
