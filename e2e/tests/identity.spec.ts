import { expect, test, type Page } from '@playwright/test';
import { expectNoPageErrors, newRoomName, openPeer, readPeerList, waitForFullMesh, waitForHooks } from '../fixtures/tabs';

/** The fingerprint `viewer`'s mesh shows for the session `peerId`, once its handshake is done. */
async function fingerprintSeenBy(viewer: Page, peerId: string): Promise<string> {
  let fingerprint = '';
  await expect
    .poll(async () => {
      fingerprint = await viewer.evaluate((id) => window.shoalTest?.peers().find((peer) => peer.peerId === id)?.fingerprint ?? '', peerId);
      return fingerprint;
    }, { message: `a fingerprint for ${peerId}` })
    .not.toBe('');
  return fingerprint;
}

test('a browser keeps its key fingerprint across reloads, and other browsers have other ones', async ({ context, browser }) => {
  const room = newRoomName();
  const otherContext = await browser.newContext();
  try {
    const alice = await openPeer(context, room, 'alice');
    const bob = await openPeer(otherContext, room, 'bob');
    await waitForFullMesh([alice, bob]);
    const aliceKey = await fingerprintSeenBy(bob.page, alice.peerId);
    const bobKey = await fingerprintSeenBy(alice.page, bob.peerId);
    expect(aliceKey).not.toEqual(bobKey);
    // The peer list shows (a prefix of) it beside the name, so people can compare.
    await expect.poll(async () => (await readPeerList(bob.page)).find((entry) => entry.peerId === alice.peerId)?.text ?? '')
      .toContain(aliceKey.slice(0, 6));

    await alice.page.reload();
    const previousSession = alice.peerId;
    alice.peerId = await waitForHooks(alice.page);
    expect(alice.peerId).not.toEqual(previousSession);
    await waitForFullMesh([alice, bob]);
    expect(await fingerprintSeenBy(bob.page, alice.peerId)).toEqual(aliceKey);
    expectNoPageErrors([alice, bob]);
  } finally {
    await otherContext.close();
  }
});
