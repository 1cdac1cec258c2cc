import { expect, test } from '@playwright/test';
import {
  expectNoPageErrors, idsOfTexts, linkedPeerIds, newRoomName, nth, openPeers, readLog, sendMessage, uniqueText,
  waitForFullMesh, waitForMessages,
} from '../fixtures/tabs';

test('with the link between two tabs cut, their messages still arrive through the other peers', async ({ context }) => {
  const peers = await openPeers(context, 4, newRoomName());
  await waitForFullMesh(peers);
  const a = nth(peers, 0);
  const b = nth(peers, 1);

  // The hook cuts one side only, so both ends of the pair call it (b may already have seen the link
  // close when its own call runs, so only a's answer is certain).
  expect(await a.page.evaluate((id) => window.shoalTest?.cutLink(id), b.peerId)).toBe(true);
  await b.page.evaluate((id) => window.shoalTest?.cutLink(id), a.peerId);
  await expect.poll(() => linkedPeerIds(a.page), { message: 'a no longer links to b' }).not.toContain(b.peerId);
  await expect.poll(() => linkedPeerIds(b.page), { message: 'b no longer links to a' }).not.toContain(a.peerId);

  const fromA = uniqueText('a to b via the others');
  const fromB = uniqueText('b to a via the others');
  await sendMessage(a, fromA);
  await sendMessage(b, fromB);
  await waitForMessages(peers, [fromA, fromB]);

  const orders = await Promise.all(peers.map(async (peer) => idsOfTexts(await readLog(peer.page), [fromA, fromB])));
  for (const order of orders.slice(1)) expect(order).toEqual(orders[0]);
  // The cut stays cut: the messages came around it, not over a re-formed link.
  expect(await linkedPeerIds(a.page)).not.toContain(b.peerId);
  expect(await linkedPeerIds(b.page)).not.toContain(a.peerId);
  expectNoPageErrors(peers);
});
