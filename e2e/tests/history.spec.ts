import { expect, test } from '@playwright/test';
import {
  expectNoPageErrors, idsOfTexts, newRoomName, nth, openPeer, openPeers, readLog, recordTiming, sendMessage, uniqueText,
  waitForFullMesh, waitForHooks, waitForMessages,
} from '../fixtures/tabs';

test('a reloaded tab shows the history again, in the same order, and rejoins the mesh', async ({ context }, testInfo) => {
  const peers = await openPeers(context, 2, newRoomName());
  await waitForFullMesh(peers);
  const texts: string[] = [];
  for (const peer of [...peers, ...peers]) {
    const text = uniqueText(`before reload from ${peer.name}`);
    texts.push(text);
    await sendMessage(peer, text);
  }
  await waitForMessages(peers, texts);
  const reloaded = nth(peers, 0);
  const orderBefore = idsOfTexts(await readLog(reloaded.page), texts);

  const reloadStart = Date.now();
  await reloaded.page.reload();
  // A reload is a new session: a new peer id, the same stored history.
  reloaded.peerId = await waitForHooks(reloaded.page);
  await waitForMessages([reloaded], texts);
  const historyShownMs = Date.now() - reloadStart;
  expect(idsOfTexts(await readLog(reloaded.page), texts)).toEqual(orderBefore);

  await waitForFullMesh(peers);
  recordTiming(testInfo, 'reload', { historyShownMs, remeshedMs: Date.now() - reloadStart });
  const after = uniqueText('after reload');
  await sendMessage(reloaded, after);
  await waitForMessages(peers, [after]);
  expectNoPageErrors(peers);
});

test('a late joiner with empty storage receives the history from the peers', async ({ context, browser }, testInfo) => {
  const room = newRoomName();
  const peers = await openPeers(context, 2, room);
  await waitForFullMesh(peers);
  const texts: string[] = [];
  for (const peer of [...peers, ...peers, ...peers]) {
    const text = uniqueText(`history from ${peer.name}`);
    texts.push(text);
    await sendMessage(peer, text);
  }
  await waitForMessages(peers, texts);
  const expectedOrder = idsOfTexts(await readLog(nth(peers, 0).page), texts);

  // A new browser context has its own IndexedDB: whatever it shows came over the mesh.
  const lateContext = await browser.newContext();
  try {
    const joinStart = Date.now();
    const late = await openPeer(lateContext, room, 'late');
    await waitForMessages([late], texts);
    recordTiming(testInfo, 'late joiner', { historyShownMs: Date.now() - joinStart });
    expect(idsOfTexts(await readLog(late.page), texts)).toEqual(expectedOrder);

    // And it takes part in the room afterwards like anyone else.
    await waitForFullMesh([...peers, late]);
    const hello = uniqueText('late says hi');
    await sendMessage(late, hello);
    await waitForMessages(peers, [hello]);
    expectNoPageErrors([...peers, late]);
  } finally {
    await lateContext.close();
  }
});
