import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoPageErrors, messageItems, messageLog, newRoomName, openPeer, sendMessage, waitForFullMesh, waitForHooks, waitForMessages } from '../fixtures/tabs';

/** A send time in year 10889: the largest the schema admits is 2^48 ms; a month before it. */
const YEAR_10889 = 2 ** 48 - 30 * 86_400_000;
/** No row may grow past this however a peer's text is shaped (16 collapsed lines plus meta and button). */
const MAX_ROW_PX = 480;

const NEWLINES = `newline top${'\n'.repeat(3000)}newline bottom`;
const MANY_LINES = Array.from({ length: 60 }, (_, i) => `numbered line ${i + 1}`).join('\n');
const TOWER = `tower Z${'\u0336\u0301\u0300'.repeat(300)} end`;
const UNBROKEN = `unbroken ${'x'.repeat(3000)}`;

function row(page: Page, text: string): Locator {
  return messageItems(page).filter({ hasText: text });
}

async function height(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('row not rendered');
  return box.height;
}

/** The log's horizontal overflow in px (0 when nothing sticks out) and rows sticking out to the right. */
function horizontalOverflow(page: Page): Promise<{ log: number; rows: number }> {
  return messageLog(page).evaluate((log) => {
    const right = log.getBoundingClientRect().right;
    const rows = [...log.querySelectorAll('li[data-message-id]')].filter((item) => item.getBoundingClientRect().right > right + 0.5).length;
    return { log: log.scrollWidth - log.clientWidth, rows };
  });
}

test('hostile text, a send time in year 10889 and a look-alike name stay bounded and flagged', async ({ browser }, testInfo) => {
  const room = newRoomName();
  // Three browsers, three identities: tabs of one context would share one key.
  const aliceContext = await browser.newContext();
  const impostorContext = await browser.newContext();
  const malloryContext = await browser.newContext();
  const contexts = [aliceContext, impostorContext, malloryContext];
  try {
    // Mallory's clock runs in year 10889, so every message Mallory sends claims to be from then.
    await malloryContext.clock.install({ time: YEAR_10889 });
    const alice = await openPeer(aliceContext, room, 'Alice');
    // Cyrillic А and a zero-width space: looks like "Alice" to the eye.
    const impostor = await openPeer(impostorContext, room, '\u0410l\u200Bice');
    const mallory = await openPeer(malloryContext, room, 'mallory');
    const peers = [alice, impostor, mallory];
    await waitForFullMesh(peers);
    // Mallory's clients stamp Lamport times from the room's clock as heard, not from a clock years
    // ahead (others would refuse those): so the room speaks first. The claimed send time stays 10889.
    await sendMessage(alice, 'alice is here');
    await waitForMessages([mallory], ['alice is here']);

    for (const text of [NEWLINES, MANY_LINES, TOWER, UNBROKEN]) {
      const composer = mallory.page.getByRole('textbox', { name: 'Message' });
      await composer.fill(text);
      await composer.press('Enter');
    }
    // Last, so the screenshots (the log follows the newest) show both of them.
    await sendMessage(alice, 'hello from the real alice');
    await sendMessage(impostor, 'hello from alice too');
    const page = alice.page;
    for (const text of ['newline top', 'numbered line 1', 'tower Z', 'unbroken x', 'hello from alice too']) await expect(row(page, text)).toHaveCount(1);

    // Both identities using the name are flagged, each with its own fingerprint, whoever came first.
    const real = row(page, 'hello from the real alice');
    const fake = row(page, 'hello from alice too');
    await expect(real.getByText('another key uses this name')).toBeVisible();
    await expect(fake.getByText('another key uses this name')).toBeVisible();
    await expect(fake.locator('.author')).toHaveText('\u0410lice');
    expect(await real.locator('.fingerprint').textContent()).not.toEqual(await fake.locator('.fingerprint').textContent());
    const peerList = page.getByRole('list', { name: 'Peers' });
    await expect(peerList.locator(`li[data-peer-id="${impostor.peerId}"]`).getByText('another key uses this name')).toBeVisible();
    await expect(peerList.locator(`li[data-peer-id="${mallory.peerId}"] .name-warning`)).toHaveCount(0);

    // The claimed time is not shown as a date this year; the claim stays readable in the title.
    const futureTime = row(page, 'numbered line 1').locator('time');
    await expect(futureTime).toHaveText('future');
    await expect(futureTime).toHaveAttribute('title', /10889/);

    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      for (const text of ['newline top', 'numbered line 1', 'tower Z', 'unbroken x']) {
        expect(await height(row(page, text)), `${text} at ${viewport.width}px`).toBeLessThanOrEqual(MAX_ROW_PX);
      }
      expect(await horizontalOverflow(page), `at ${viewport.width}px`).toEqual({ log: 0, rows: 0 });
      await page.screenshot({ path: testInfo.outputPath(`room-${viewport.width}x${viewport.height}.png`) });
    }

    // Expanded, a long message scrolls inside a bounded box instead of stretching the log.
    await page.setViewportSize({ width: 1280, height: 800 });
    const long = row(page, 'numbered line 1');
    await long.getByRole('button', { name: 'Show more' }).click();
    await expect(long.getByText('numbered line 60')).toBeAttached();
    expect(await height(long)).toBeLessThanOrEqual(800 * 0.6 + 120);
    await expect(long.getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
    await page.screenshot({ path: testInfo.outputPath('room-1280x800-expanded.png') });
    expectNoPageErrors(peers);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test('a malformed identity row is replaced by a new identity with a warning, and the room still opens', async ({ context }, testInfo) => {
  const room = newRoomName();
  const alice = await openPeer(context, room, 'alice');
  const ownKey = alice.page.locator('.name-field .fingerprint');
  const before = await ownKey.textContent();
  if (!before) throw new Error('no own fingerprint shown');
  // What corruption or a script of this origin may leave: objects shaped like a key pair, no keys.
  await alice.page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('shoal');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('keys', 'readwrite');
          tx.objectStore('keys').put({ publicKey: {}, privateKey: {} }, 'identity');
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await alice.page.reload();
  alice.peerId = await waitForHooks(alice.page);
  await expect(alice.page.getByRole('alert')).toContainText('Your stored identity was unreadable; a new one was created.');
  await sendMessage(alice, 'still chatting');
  await expect(ownKey).not.toHaveText(before);
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await alice.page.setViewportSize(viewport);
    await alice.page.screenshot({ path: testInfo.outputPath(`identity-notice-${viewport.width}x${viewport.height}.png`) });
  }
  await alice.page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alice.page.getByRole('alert')).toHaveCount(0);
  expectNoPageErrors([alice]);
});
