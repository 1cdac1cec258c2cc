import { expect, test } from '@playwright/test';
import {
  expectNoPageErrors, idsOfTexts, linkedPeerIds, newRoomName, nth, openPeers, readLog, readPeerList, recordTiming, sendMessage, uniqueText,
  waitForFullMesh, waitForMessages,
} from '../fixtures/tabs';

test('four tabs form a full mesh and list each other online', async ({ context }) => {
  const peers = await openPeers(context, 4, newRoomName());
  await waitForFullMesh(peers);
  for (const peer of peers) {
    const others = peers.filter((other) => other !== peer).map((other) => other.peerId).sort();
    await expect
      .poll(async () => (await readPeerList(peer.page)).filter((entry) => /online/i.test(entry.text)).map((entry) => entry.peerId).sort(),
        { message: `${peer.name} lists the other three online` })
      .toEqual(others);
    // Heartbeats measure a round-trip time per peer, shown as e.g. "12 ms".
    await expect
      .poll(async () => (await readPeerList(peer.page)).every((entry) => /\d+(\.\d+)?\s*ms\b/.test(entry.text)),
        { message: `${peer.name} shows an RTT for every peer` })
      .toBe(true);
  }
  expectNoPageErrors(peers);
});

test('a message from each tab appears exactly once in every tab, in the same order everywhere', async ({ context }) => {
  const peers = await openPeers(context, 4, newRoomName());
  await waitForFullMesh(peers);
  const texts: string[] = [];
  const authorOf = new Map<string, string>();
  // Two rounds, the second sent back to back without waiting, so messages cross in flight.
  for (const peer of peers) {
    const text = uniqueText('hello');
    texts.push(text);
    authorOf.set(text, peer.name);
    await sendMessage(peer, text);
  }
  const burst = peers.map(() => uniqueText('burst'));
  await Promise.all(peers.map((peer, i) => sendMessage(peer, burst[i] ?? '')));
  texts.push(...burst);
  burst.forEach((text, i) => authorOf.set(text, nth(peers, i).name));
  await waitForMessages(peers, texts);

  const orders: string[][] = [];
  for (const peer of peers) {
    const log = await readLog(peer.page);
    expect(new Set(log.map((entry) => entry.id)).size, `${peer.name} shows no message id twice`).toBe(log.length);
    expect(log.filter((entry) => entry.own).length, `${peer.name} marks only its own messages as own`).toBe(2);
    orders.push(idsOfTexts(log, texts));
    for (const [text, author] of authorOf) {
      expect(log.find((entry) => entry.text.includes(text))?.text, `${peer.name} names the author`).toContain(author);
    }
  }
  for (const order of orders.slice(1)) expect(order).toEqual(orders[0]);
  expectNoPageErrors(peers);
});

test('a closed tab leaves the peer lists of the others or shows offline', async ({ context }, testInfo) => {
  const peers = await openPeers(context, 3, newRoomName());
  await waitForFullMesh(peers);
  const leaving = nth(peers, 0);
  const staying = peers.slice(1);
  const closedAt = Date.now();
  await leaving.page.close();
  for (const peer of staying) {
    await expect
      .poll(async () => {
        const entry = (await readPeerList(peer.page)).find((item) => item.peerId === leaving.peerId);
        return entry === undefined || /offline/i.test(entry.text);
      }, { message: `${peer.name} no longer shows ${leaving.name} as present` })
      .toBe(true);
    await expect.poll(() => linkedPeerIds(peer.page), { message: `${peer.name} dropped its link to ${leaving.name}` })
      .not.toContain(leaving.peerId);
  }
  recordTiming(testInfo, 'closed tab', { goneFromAllMs: Date.now() - closedAt });
  expectNoPageErrors(staying);
});
