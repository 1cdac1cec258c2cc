import { expect, test } from '@playwright/test';
import {
  expectNoPageErrors, linkedPeerIds, newRoomName, nth, openPeers, sendMessage, uniqueText, waitForMessages,
} from '../fixtures/tabs';

// Past fullMeshUpTo members a room is no full mesh: each tab asks for targetDegree links and accepts
// at most maxDegree (set here through the URL, as a deployment sets it in index.html).
const SIZE = { fullMeshUpTo: 4, targetDegree: 2, maxDegree: 4 };
const TABS = 8;

test('a room past fullMeshUpTo keeps few links per tab, stays connected, and every message reaches every tab', async ({ context }) => {
  const query = Object.entries(SIZE).map(([key, value]) => `${key}=${value}`).join('&');
  const peers = await openPeers(context, TABS, newRoomName(), { query });
  const idOf = new Map(peers.map((peer, i) => [peer.peerId, i]));
  /** Tabs reachable from the first one over links both ends report. */
  const reachable = async (): Promise<number> => {
    const links = await Promise.all(peers.map((peer) => linkedPeerIds(peer.page)));
    const seen = new Set([0]);
    for (const queue = [0]; queue.length > 0;) {
      for (const other of links[queue.shift() ?? 0] ?? []) {
        const j = idOf.get(other);
        if (j !== undefined && !seen.has(j)) seen.add(j), queue.push(j);
      }
    }
    return seen.size;
  };
  await expect.poll(reachable, { message: 'every tab reachable over links', timeout: 30_000 }).toBe(TABS);
  await expect
    .poll(async () => Math.max(...(await Promise.all(peers.map(async (peer) => (await linkedPeerIds(peer.page)).length)))),
      { message: 'no tab past maxDegree', timeout: 30_000 })
    .toBeLessThanOrEqual(SIZE.maxDegree);
  const linkCount = (await Promise.all(peers.map(async (peer) => (await linkedPeerIds(peer.page)).length))).reduce((a, b) => a + b, 0);
  expect(linkCount, 'fewer links than a full mesh').toBeLessThan(TABS * (TABS - 1));

  const texts = [uniqueText('from the first tab'), uniqueText('from the last tab')];
  await sendMessage(nth(peers, 0), texts[0] ?? '');
  await sendMessage(nth(peers, TABS - 1), texts[1] ?? '');
  await waitForMessages(peers, texts);
  expectNoPageErrors(peers);
});
