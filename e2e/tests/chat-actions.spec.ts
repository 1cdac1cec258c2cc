import { type BrowserContext, type Locator, type Page, expect, test } from '@playwright/test';
import { expectNoPageErrors, messageLog, newRoomName, openPeer, sendMessage, uniqueText, waitForFullMesh, waitForMessages } from '../fixtures/tabs';

/** The row of the message holding `text` in a tab's log. */
function row(page: Page, text: string): Locator {
  return messageLog(page).locator('li[data-message-id]').filter({ hasText: text });
}

/** Buttons are found by exact name: "Delete" must not match "Delete for everyone". */
function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}

test('reply, react and unreact, edit and delete reach every tab, survive a reload and reach a late joiner', async ({ browser }) => {
  const room = newRoomName('actions');
  const adaContext = await browser.newContext();
  const brianContext = await browser.newContext();
  const ada = await openPeer(adaContext, room, 'Ada');
  const brian = await openPeer(brianContext, room, 'Brian');
  await waitForFullMesh([ada, brian]);

  const question = uniqueText('where do we meet');
  const doomed = uniqueText('secret plans');
  await sendMessage(ada, question);
  await sendMessage(ada, doomed);
  await waitForMessages([brian], [question, doomed]);

  // Reply: Brian answers through the Reply action; the quote shows and jumps to the original.
  await row(brian.page, question).hover();
  await button(row(brian.page, question), 'Reply').click();
  await expect(brian.page.getByText(`Replying to Ada: ${question}`)).toBeVisible();
  const answer = uniqueText('at the harbour');
  await sendMessage(brian, answer);
  for (const peer of [ada, brian]) {
    await expect(row(peer.page, answer).getByRole('button', { name: `Go to the quoted message, Ada: ${question}` })).toBeVisible();
  }
  await row(ada.page, answer).getByRole('button', { name: /^Go to the quoted message/ }).click();
  await expect(row(ada.page, question).first()).toBeFocused();

  // React from the keyboard: focus the row's React button, pick 🎉; both tabs count it; Brian joins in.
  await button(row(ada.page, answer), 'React').focus();
  await ada.page.keyboard.press('Enter');
  await button(row(ada.page, answer), '🎉').click();
  for (const peer of [ada, brian]) await expect(button(row(peer.page, answer), '🎉 1')).toBeVisible();
  await button(row(brian.page, answer), '🎉 1').click();
  for (const peer of [ada, brian]) await expect(button(row(peer.page, answer), '🎉 2')).toBeVisible();
  await button(row(brian.page, answer), '🎉 2').focus();
  await expect(brian.page.getByRole('tooltip').filter({ hasText: 'Reacted by you, Ada' })).toBeVisible();
  // Clicking one's own reaction takes it back, everywhere.
  await button(row(brian.page, answer), '🎉 2').click();
  for (const peer of [ada, brian]) await expect(button(row(peer.page, answer), '🎉 1')).toBeVisible();

  // Edit: Up in Ada's empty composer edits her last message; Enter saves; every tab shows "(edited)".
  const composer = ada.page.getByRole('textbox', { name: 'Message' });
  await composer.click();
  await composer.press('ArrowUp');
  await expect(composer).toHaveValue(doomed);
  const edited = uniqueText('revised plans');
  await composer.fill(edited);
  await composer.press('Enter');
  for (const peer of [ada, brian]) await expect(row(peer.page, edited)).toContainText('(edited)');
  await expect(button(row(brian.page, edited), 'Edit')).toHaveCount(0);

  // Delete: confirmed, then gone on both tabs.
  await row(ada.page, edited).hover();
  await button(row(ada.page, edited), 'Delete').click();
  await button(row(ada.page, edited), 'Delete for everyone').click();
  for (const peer of [ada, brian]) {
    await expect(messageLog(peer.page)).not.toContainText(edited);
    await expect(messageLog(peer.page)).not.toContainText(doomed);
    await expect(messageLog(peer.page).getByText('Message deleted.')).toHaveCount(1);
  }

  // After a reload the store holds the same: edits applied, deletion gone, reactions and quotes kept.
  await brian.page.reload();
  await expect(button(row(brian.page, answer), '🎉 1')).toBeVisible();
  await expect(row(brian.page, answer).getByRole('button', { name: /^Go to the quoted message, Ada: / })).toBeVisible();
  await expect(messageLog(brian.page).getByText('Message deleted.')).toHaveCount(1);
  await expect(messageLog(brian.page)).not.toContainText(doomed);

  // A late joiner in a fresh browser gets it all by history sync, and no deleted text.
  const cleoContext = await browser.newContext();
  const cleo = await openPeer(cleoContext, room, 'Cleo');
  await waitForMessages([cleo], [question, answer]);
  await expect(button(row(cleo.page, answer), '🎉 1')).toBeVisible();
  await expect(row(cleo.page, answer).getByRole('button', { name: `Go to the quoted message, Ada: ${question}` })).toBeVisible();
  await expect(messageLog(cleo.page).getByText('Message deleted.')).toHaveCount(1);
  const stored = await cleo.page.evaluate(async () => {
    const dump: string[] = [];
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('shoal');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const name of db.objectStoreNames) {
      const all = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      dump.push(JSON.stringify(all));
    }
    db.close();
    return dump.join('\n');
  });
  expect(stored).toContain(question.slice(0, 10));
  expect(stored).not.toContain(doomed);
  expect(stored).not.toContain(edited);
  expectNoPageErrors([ada, brian, cleo]);
  await adaContext.close();
  await brianContext.close();
  await cleoContext.close();
});

test('shows who is typing to the others, two at once, and clears when the message is sent', async ({ browser }) => {
  const room = newRoomName('typing');
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [adaContext, brianContext, cleoContext] = contexts as [BrowserContext, BrowserContext, BrowserContext];
  const ada = await openPeer(adaContext, room, 'Ada');
  const brian = await openPeer(brianContext, room, 'Brian');
  const cleo = await openPeer(cleoContext, room, 'Cleo');
  await waitForFullMesh([ada, brian, cleo]);
  const status = (page: Page) => page.getByRole('status').filter({ hasText: /typing/ });

  await ada.page.getByRole('textbox', { name: 'Message' }).pressSequentially('hel');
  await expect(status(cleo.page)).toHaveText('Ada is typing…');
  await expect(status(brian.page)).toHaveText('Ada is typing…');
  await expect(status(ada.page)).toHaveCount(0);
  await brian.page.getByRole('textbox', { name: 'Message' }).pressSequentially('hi');
  await expect(status(cleo.page)).toHaveText(/^(Ada and Brian|Brian and Ada) are typing…$/);

  await ada.page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(status(cleo.page)).toHaveText('Brian is typing…');
  // Ephemeral: nothing of it reaches the log.
  await expect(messageLog(cleo.page).locator('li[data-message-id]')).toHaveCount(1);
  expectNoPageErrors([ada, brian, cleo]);
  for (const context of contexts) await context.close();
});
