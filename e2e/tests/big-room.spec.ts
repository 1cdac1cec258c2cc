import { expect, test } from '@playwright/test';
import { floodCopies, floodTotals, recordFloodCopies } from '../fixtures/flood-copies';
import {
  type Peer, expectNoPageErrors, linkedPeerIds, newRoomName, nth, openPeer, openPeers, sendMessage, uniqueText, waitForMessages,
} from '../fixtures/tabs';

// Past fullMeshUpTo members a room is no full mesh: each tab asks for targetDegree links and accepts
// at most maxDegree (set here through the URL, as a deployment sets it in index.html).
type MeshSize = { fullMeshUpTo: number; targetDegree: number; maxDegree: number };

const sizeQuery = (size: MeshSize) => Object.entries(size).map(([key, value]) => `${key}=${value}`).join('&');

/** Tabs reachable from the first one over links both ends report. */
async function reachable(peers: readonly Peer[]): Promise<number> {
  const idOf = new Map(peers.map((peer, i) => [peer.peerId, i]));
  const links = await Promise.all(peers.map((peer) => linkedPeerIds(peer.page)));
  const seen = new Set([0]);
  for (const queue = [0]; queue.length > 0;) {
    for (const other of links[queue.shift() ?? 0] ?? []) {
      const j = idOf.get(other);
      if (j !== undefined && !seen.has(j)) seen.add(j), queue.push(j);
    }
  }
  return seen.size;
}

/** Each tab's count of open links. */
function linkCounts(peers: readonly Peer[]): Promise<number[]> {
  return Promise.all(peers.map(async (peer) => (await linkedPeerIds(peer.page)).length));
}

/** Waits until every tab is reachable and none is past maxDegree. */
async function expectBigRoomFormed(peers: readonly Peer[], size: MeshSize, timeout: number): Promise<void> {
  await expect.poll(() => reachable(peers), { message: 'every tab reachable over links', timeout }).toBe(peers.length);
  await expect.poll(async () => Math.max(...(await linkCounts(peers))), { message: 'no tab past maxDegree', timeout })
    .toBeLessThanOrEqual(size.maxDegree);
}

test('a room past fullMeshUpTo keeps few links per tab, stays connected, and every message reaches every tab', async ({ context }) => {
  const size = { fullMeshUpTo: 4, targetDegree: 2, maxDegree: 4 };
  const tabs = 8;
  const peers = await openPeers(context, tabs, newRoomName(), { query: sizeQuery(size) });
  await expectBigRoomFormed(peers, size, 30_000);
  const linkCount = (await linkCounts(peers)).reduce((a, b) => a + b, 0);
  expect(linkCount, 'fewer links than a full mesh').toBeLessThan(tabs * (tabs - 1));

  const texts = [uniqueText('from the first tab'), uniqueText('from the last tab')];
  await sendMessage(nth(peers, 0), texts[0] ?? '');
  await sendMessage(nth(peers, tabs - 1), texts[1] ?? '');
  await waitForMessages(peers, texts);
  expectNoPageErrors(peers);
});

test('24 tabs as a big room: messages from several tabs reach every tab once, down broadcast trees (copies per delivery from the tabs\' own counters)', async ({ context }, testInfo) => {
  test.setTimeout(360_000);
  const size = { fullMeshUpTo: 6, targetDegree: 4, maxDegree: 8 };
  const tabs = 24;
  // Joins in small batches: 24 tabs' ICE at once is CPU-bound on 2 cores (RECIPES.md).
  const joinBatch = 4;
  const room = newRoomName('big');
  const peers: Peer[] = [];
  for (let first = 1; first <= tabs; first += joinBatch) {
    const batch = Array.from({ length: joinBatch }, (_, k) => openPeer(context, room, `peer-${first + k}`, { query: sizeQuery(size) }));
    peers.push(...(await Promise.all(batch)));
  }
  await expectBigRoomFormed(peers, size, 90_000);
  console.log(`links per tab: ${JSON.stringify(await linkCounts(peers))}`);

  const senders = [0, 7, 15, 23].map((index) => nth(peers, index));
  /** One message from each sender, every tab shows them all; the copies spent on them, once all arrived. */
  const round = async (label: string) => {
    const before = await floodTotals(peers);
    const texts = senders.map((sender) => uniqueText(`${label} from ${sender.name}`));
    for (const [i, sender] of senders.entries()) await sendMessage(sender, nth(texts, i));
    await waitForMessages(peers, texts, 60_000);
    // Duplicates still on their way count too: wait until the copies handed to links have arrived, but for
    // the few a link closed under (links are shed and refreshed while the room settles; CI saw 2-3 of ~500).
    await expect.poll(async () => {
      const now = await floodTotals(peers);
      const sent = now.chatFramesSent - before.chatFramesSent;
      return sent - (now.chatFramesReceived - before.chatFramesReceived) <= Math.ceil(sent * 0.02);
    }, { message: 'chat copies sent but not yet received' }).toBe(true);
    const copies = floodCopies(before, await floodTotals(peers), senders.length);
    recordFloodCopies(testInfo, `big room of ${tabs} (targetDegree ${size.targetDegree}), ${label}`, copies);
    expect(copies.remoteDeliveries, 'each message delivered once to each other tab').toBe(senders.length * (tabs - 1));
    return copies.copiesPerDelivery;
  };
  // Every link starts eager: the first messages flood, and each duplicate prunes its link to lazy.
  const first = await round('first round');
  expect(first).toBeLessThanOrEqual(size.maxDegree);
  // The room still sheds links past maxDegree for a while after it formed (a tab held 10 right after the
  // check above): links it adds start eager, so the second round still prunes some.
  await round('second round');
  // With the tree formed, about one copy per delivery (1.02-1.3 here, 1.13-1.26 with a core kept busy;
  // flooding this overlay spends 5.5-6). Grafts and links renewed since the last round (each starts
  // eager) add copies: while links rotated every minute and grafts waited a fixed 400 ms, a loaded CI
  // run measured 3.63. Hence a bound at half of flooding's.
  expect(await round('tree formed')).toBeLessThanOrEqual(3);
  expectNoPageErrors(peers);
});
