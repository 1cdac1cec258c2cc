import { expect, test } from '@playwright/test';
import {
  expectNoPageErrors, messageItems, newRoomName, nth, openPeers, readLog, roomUrl, sendMessage, waitForFullMesh, waitForHooks, waitForMessages,
} from '../fixtures/tabs';

test('peer text containing HTML is shown as text, never rendered', async ({ context }) => {
  const peers = await openPeers(context, 2, newRoomName());
  await waitForFullMesh(peers);
  const [author, reader] = [nth(peers, 0), nth(peers, 1)];
  const payload = `<img src=x onerror="window.__shoalXss = 1"><span data-xss="1">styled</span> ${Date.now()}`;
  await sendMessage(author, payload);
  await waitForMessages(peers, [payload]);

  for (const peer of peers) {
    const item = messageItems(peer.page).filter({ hasText: payload });
    await expect(item).toHaveCount(1);
    await expect(item.locator('img, [data-xss]')).toHaveCount(0);
    expect(await peer.page.evaluate(() => (window as Window & { __shoalXss?: number }).__shoalXss)).toBeUndefined();
  }
  expect((await readLog(reader.page)).some((entry) => entry.text.includes(payload))).toBe(true);
  expectNoPageErrors(peers);
});

test('Enter sends, Shift+Enter adds a new line, the Send button sends', async ({ context }) => {
  const peers = await openPeers(context, 2, newRoomName());
  await waitForFullMesh(peers);
  const [author, reader] = [nth(peers, 0), nth(peers, 1)];
  const composer = author.page.getByRole('textbox', { name: 'Message' });
  const stamp = Date.now();
  // MAX_TEXT_CHARS (shared/src/protocol/limits.ts): the same limit as in a private room.
  await expect(composer).toHaveAttribute('maxlength', '4000');

  await composer.click();
  await author.page.keyboard.type(`first line ${stamp}`);
  await author.page.keyboard.press('Shift+Enter');
  await author.page.keyboard.type(`second line ${stamp}`);
  // Shift+Enter must not have sent anything yet.
  await expect(composer).toHaveValue(`first line ${stamp}\nsecond line ${stamp}`);
  await author.page.keyboard.press('Enter');
  await expect(composer).toHaveValue('');
  const multiline = `first line ${stamp}\nsecond line ${stamp}`;
  // innerText, not textContent: the line break may be a newline in pre-wrap text or a <br>.
  await expect
    .poll(() => messageItems(reader.page).evaluateAll((items, text) => items.filter((item) => (item as HTMLElement).innerText.includes(text)).length, multiline),
      { message: 'the reader shows the two-line message once, line break kept' })
    .toBe(1);

  await composer.fill(`by button ${stamp}`);
  await author.page.getByRole('button', { name: 'Send' }).click();
  await waitForMessages(peers, [`by button ${stamp}`]);
  await sendMessage(reader, `reply ${stamp}`);
  await waitForMessages(peers, [`reply ${stamp}`]);
  expectNoPageErrors(peers);
});

test('every script a room page loads asks V8 to compile it at load (first message not slowed by compiling)', async ({ context }) => {
  const page = await context.newPage();
  const scripts = new Map<string, Promise<string>>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.startsWith('/assets/') && path.endsWith('.js')) scripts.set(path, response.text());
  });
  await page.goto(roomUrl(newRoomName()));
  await waitForHooks(page);
  // The entry, Preact, the room code and the room page at least; the hint is read only on a script's first line.
  expect(scripts.size).toBeGreaterThanOrEqual(4);
  expect([...scripts.keys()].some((path) => path.includes('/open-room-'))).toBe(true);
  for (const [path, text] of scripts) expect((await text).split('\n', 1)[0], path).toBe('//# allFunctionsCalledOnLoad');
});
