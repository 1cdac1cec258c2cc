import { expect, test } from '@playwright/test';
import {
  expectNoPageErrors, linkedPeerIds, newRoomName, nth, openPeers, readLog, readPeerList, sendMessage, uniqueText,
  waitForFullMesh, waitForMessages,
} from '../fixtures/tabs';

test('two rooms in the same browser stay isolated', async ({ context }) => {
  const red = await openPeers(context, 2, newRoomName('red'), { prefix: 'red' });
  const blue = await openPeers(context, 2, newRoomName('blue'), { prefix: 'blue' });
  await Promise.all([waitForFullMesh(red), waitForFullMesh(blue)]);

  const redText = uniqueText('only for red');
  const blueText = uniqueText('only for blue');
  await sendMessage(nth(red, 0), redText);
  await sendMessage(nth(blue, 0), blueText);
  // Once each room's message reached that room's other tab, a leak would have reached the other room too.
  await waitForMessages(red, [redText]);
  await waitForMessages(blue, [blueText]);

  for (const [own, foreign, leak] of [[red, blue, blueText], [blue, red, redText]] as const) {
    const foreignIds = foreign.map((peer) => peer.peerId);
    for (const peer of own) {
      expect((await readLog(peer.page)).filter((entry) => entry.text.includes(leak)), `${peer.name} log`).toEqual([]);
      expect((await linkedPeerIds(peer.page)).filter((id) => foreignIds.includes(id)), `${peer.name} links`).toEqual([]);
      expect((await readPeerList(peer.page)).map((entry) => entry.peerId).filter((id) => foreignIds.includes(id)), `${peer.name} peer list`).toEqual([]);
    }
  }

  // The rooms share one IndexedDB (same browser context): a reload must not mix their histories.
  const reloaded = nth(red, 1);
  await reloaded.page.reload();
  await waitForMessages([reloaded], [redText]);
  expect((await readLog(reloaded.page)).filter((entry) => entry.text.includes(blueText))).toEqual([]);
  expectNoPageErrors([...red, ...blue]);
});
