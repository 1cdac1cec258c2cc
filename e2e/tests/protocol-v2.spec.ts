import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import {
  expectNoPageErrors, newRoomName, openPeer, roomUrl, sendMessage, serverUrl, uniqueText, waitForFullMesh, waitForHooks,
  waitForMessages,
} from '../fixtures/tabs';

/**
 * v1-history.json: five chat messages signed by protocol v1's code path (shared's signChatMessage, the
 * v1 signature over id, room, session, seq, Lamport, time, name and body), as IndexedDB held them
 * before the upgrade.
 */
const V1_FIXTURE = new URL('../fixtures/v1-history.json', import.meta.url);

test('history written by protocol v1 is shown after the upgrade and syncs to a v2 late joiner', async ({ browser }) => {
  const fixture = JSON.parse(await readFile(V1_FIXTURE, 'utf8')) as { room: string; rows: { body: string }[] };
  const before = await browser.newContext();
  const page = await before.newPage();
  await page.goto(`${serverUrl()}/`);
  // The database exactly as v1 created it: version 1, its stores and indexes, its rows.
  await page.evaluate(async (rows) => {
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('shoal', 1);
      request.onupgradeneeded = () => {
        const messages = request.result.createObjectStore('messages', { keyPath: 'id' });
        messages.createIndex('order', ['room', 'lamport', 'id']);
        messages.createIndex('stream', ['room', 'author', 'seq']);
        request.result.createObjectStore('keys');
      };
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const tx = request.result.transaction('messages', 'readwrite');
        for (const row of rows) tx.objectStore('messages').put(row);
        tx.oncomplete = () => {
          request.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    });
  }, fixture.rows);
  const texts = fixture.rows.map((row) => row.body);
  const upgraded = await openPeer(before, fixture.room, 'upgraded');
  await waitForMessages([upgraded], texts);

  const later = await browser.newContext();
  const joiner = await openPeer(later, fixture.room, 'joiner');
  await waitForMessages([joiner], texts);
  const counters = await joiner.page.evaluate(() => window.shoalTest?.counters());
  expect(counters?.badSignatureDropped).toBe(0);
  expectNoPageErrors([upgraded, joiner]);
  await before.close();
  await later.close();
});

test('a person who reloads 20 times adds one entry to the room’s version vector, not 20', async ({ browser }) => {
  const room = newRoomName('reloads');
  const adaContext = await browser.newContext();
  const brianContext = await browser.newContext();
  const ada = await openPeer(adaContext, room, 'ada');
  const brian = await openPeer(brianContext, room, 'brian');
  await waitForFullMesh([ada, brian]);
  await sendMessage(ada, uniqueText('hello from ada'));
  const texts: string[] = [];
  for (let load = 1; load <= 20; load++) {
    await brian.page.reload();
    brian.peerId = await waitForHooks(brian.page);
    await waitForFullMesh([ada, brian]);
    const text = uniqueText(`load ${load}`);
    texts.push(text);
    await sendMessage(brian, text);
  }
  await waitForMessages([ada], texts);
  const vector = await ada.page.evaluate(() => window.shoalTest?.vector());
  expect(Object.keys(vector ?? {})).toHaveLength(2);
  expect(Object.values(vector ?? {}).sort((a, b) => a - b)).toEqual([1, 20]);
  expectNoPageErrors([ada, brian]);
  await adaContext.close();
  await brianContext.close();
});

test('a room’s history exported to a file comes back by import in an empty browser, verified', async ({ browser }, testInfo) => {
  const room = newRoomName('export');
  const owner = await browser.newContext({ acceptDownloads: true });
  const ada = await openPeer(owner, room, 'ada');
  const texts = [uniqueText('first'), uniqueText('second'), uniqueText('third')];
  for (const text of texts) await sendMessage(ada, text);
  await waitForMessages([ada], texts);
  await ada.page.getByRole('button', { name: 'History' }).click();
  const [download] = await Promise.all([ada.page.waitForEvent('download'), ada.page.getByRole('button', { name: 'Export history' }).click()]);
  // Saved before the context closes: Playwright deletes a context's downloads with it.
  const file = testInfo.outputPath('history.jsonl');
  await download.saveAs(file);
  await owner.close();

  const fresh = await browser.newContext();
  const cleo = await fresh.newPage();
  await cleo.goto(roomUrl(room));
  await waitForHooks(cleo);
  await cleo.getByRole('button', { name: 'History' }).click();
  await cleo.getByLabel('Import history').setInputFiles(file);
  await expect(cleo.getByRole('status').filter({ hasText: 'Imported' })).toContainText('Imported 3 events');
  for (const text of texts) await expect(cleo.getByRole('log', { name: 'Messages' })).toContainText(text);
  await fresh.close();
});
