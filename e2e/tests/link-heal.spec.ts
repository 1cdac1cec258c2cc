import { expect, test } from '@playwright/test';
import { blockLinks, enableLinkFaults, killAllLinks } from '../fixtures/link-faults';
import {
  expectNoPageErrors, linkedPeerIds, newRoomName, nth, openPeer, openPeers, readLog, recordTiming, sendMessage, uniqueText,
  waitForFullMesh, waitForMessages,
} from '../fixtures/tabs';

test('killed data channels re-link and the messages missed meanwhile arrive', async ({ context, browser }, testInfo) => {
  const room = newRoomName();
  const peers = await openPeers(context, 2, room);
  // The victim has its own context (own IndexedDB): missed messages can only come over the mesh.
  const victimContext = await browser.newContext();
  try {
    await enableLinkFaults(victimContext);
    const victim = await openPeer(victimContext, room, 'victim');
    const everyone = [...peers, victim];
    await waitForFullMesh(everyone);

    await blockLinks(victim.page, true);
    expect(await killAllLinks(victim.page)).toBeGreaterThanOrEqual(2);
    await expect.poll(() => linkedPeerIds(victim.page), { message: 'the victim lost its links' }).toEqual([]);
    for (const peer of peers) {
      await expect.poll(() => linkedPeerIds(peer.page), { message: `${peer.name} lost its link to the victim` }).not.toContain(victim.peerId);
    }

    const missed = [uniqueText('missed one'), uniqueText('missed two')];
    await sendMessage(nth(peers, 0), nth(missed, 0));
    await sendMessage(nth(peers, 1), nth(missed, 1));
    await waitForMessages(peers, missed);
    expect((await readLog(victim.page)).filter((entry) => missed.some((text) => entry.text.includes(text)))).toEqual([]);

    const unblockedAt = Date.now();
    await blockLinks(victim.page, false);
    await waitForFullMesh(everyone, 60_000);
    const relinkedMs = Date.now() - unblockedAt;
    await waitForMessages([victim], missed);
    recordTiming(testInfo, 'killed links', { relinkedMs, missedArrivedMs: Date.now() - unblockedAt });

    const back = uniqueText('victim is back');
    await sendMessage(victim, back);
    await waitForMessages(peers, [back]);
    expectNoPageErrors(everyone);
  } finally {
    await victimContext.close();
  }
});
