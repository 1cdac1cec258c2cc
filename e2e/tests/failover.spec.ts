import { expect, test } from '@playwright/test';
import { startServer } from '../fixtures/server-process.mjs';
import {
  expectNoPageErrors, linkedPeerIds, newRoomName, nth, openPeer, recordTiming, sendMessage, uniqueText, waitForFullMesh,
  waitForMessages,
} from '../fixtures/tabs';

test('a room split across two signal servers heals when one side fails over to the other', async ({ context, browser }, testInfo) => {
  const first = await startServer();
  const second = await startServer();
  // The halves use separate browser contexts (separate IndexedDB): what crosses over came over the mesh.
  const otherContext = await browser.newContext();
  try {
    const room = newRoomName();
    const wsA = `ws://localhost:${first.port}/`;
    const wsB = `ws://localhost:${second.port}/`;
    // Two tabs prefer server A (and know B as a fallback); two only know server B.
    const onA = [
      await openPeer(context, room, 'a-1', { base: first.url, query: `signal=${wsA},${wsB}` }),
      await openPeer(context, room, 'a-2', { base: first.url, query: `signal=${wsA},${wsB}` }),
    ];
    const onB = [
      await openPeer(otherContext, room, 'b-1', { base: first.url, query: `signal=${wsB}` }),
      await openPeer(otherContext, room, 'b-2', { base: first.url, query: `signal=${wsB}` }),
    ];
    await Promise.all([waitForFullMesh(onA), waitForFullMesh(onB)]);
    // Split: no server knows both halves, and no link bridges them.
    const bIds = onB.map((peer) => peer.peerId);
    for (const peer of onA) expect((await linkedPeerIds(peer.page)).filter((id) => bIds.includes(id))).toEqual([]);
    const saidOnA = uniqueText('said on server A');
    const saidOnB = uniqueText('said on server B');
    await sendMessage(nth(onA, 0), saidOnA);
    await sendMessage(nth(onB, 0), saidOnB);
    await Promise.all([waitForMessages(onA, [saidOnA]), waitForMessages(onB, [saidOnB])]);

    const stoppedAt = Date.now();
    await first.stop();
    const everyone = [...onA, ...onB];
    await waitForFullMesh(everyone, 60_000);
    const meshedMs = Date.now() - stoppedAt;
    // What each half said while split reaches the other half through history sync.
    await waitForMessages(everyone, [saidOnA, saidOnB]);
    recordTiming(testInfo, 'failover to the second server', { meshedMs, historyHealedMs: Date.now() - stoppedAt });
    expectNoPageErrors(everyone);
  } finally {
    await otherContext.close();
    await first.stop();
    await second.stop();
  }
});
