import { expect, test, type Page } from '@playwright/test';
import { startServer } from '../fixtures/server-process.mjs';
import {
  expectNoPageErrors, newRoomName, nth, openPeer, openPeers, recordTiming, sendMessage, uniqueText, waitForFullMesh,
  waitForMessages, type Peer,
} from '../fixtures/tabs';

/** Peer ids this tab's mesh shows online (manual links are the mesh's, not the signaling connector's). */
function onlinePeerIds(page: Page): Promise<string[]> {
  return page.evaluate(() => (window.shoalTest?.peers() ?? []).filter((peer) => peer.state === 'online').map((peer) => peer.peerId));
}

async function openManualPanel(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Connect manually' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Runs the copy-and-paste invite between two tabs: offer from `inviter`, answer from `invitee`. */
async function linkByHand(inviter: Peer, invitee: Peer): Promise<void> {
  await openManualPanel(inviter.page);
  await inviter.page.getByRole('button', { name: 'Create invite' }).click();
  const invite = inviter.page.getByRole('textbox', { name: 'Your invite code' });
  await expect(invite).not.toHaveValue('');

  await openManualPanel(invitee.page);
  await invitee.page.getByRole('textbox', { name: 'Paste a code' }).fill(await invite.inputValue());
  await invitee.page.getByRole('button', { name: 'Use code' }).click();
  const answer = invitee.page.getByRole('textbox', { name: 'Your answer code' });
  await expect(answer).not.toHaveValue('');

  await inviter.page.getByRole('textbox', { name: 'Paste a code' }).fill(await answer.inputValue());
  await inviter.page.getByRole('button', { name: 'Use code' }).click();
}

test('with the server down, a tab invited by hand through one peer reaches every peer', async ({ context, browser }, testInfo) => {
  const server = await startServer();
  // A port nothing listens on: the newcomer's only signal server never answers.
  const dead = await startServer();
  await dead.stop();
  const lateContext = await browser.newContext();
  try {
    const room = newRoomName();
    const peers = await openPeers(context, 3, room, { base: server.url });
    await waitForFullMesh(peers);
    const before = uniqueText('said before the newcomer came');
    await sendMessage(nth(peers, 0), before);
    await waitForMessages(peers, [before]);

    // The page still comes from the server, but its signaling goes to the dead port; then the server
    // stops too, so nobody has a signal server while the newcomer joins.
    const newcomer = await openPeer(lateContext, room, 'newcomer', { base: server.url, query: `signal=ws://localhost:${dead.port}/` });
    await server.stop();

    const inviteStart = Date.now();
    await linkByHand(nth(peers, 0), newcomer);
    const everyone = [...peers, newcomer];
    await expect
      .poll(async () => {
        const missing: string[] = [];
        for (const peer of everyone) {
          const online = new Set(await onlinePeerIds(peer.page));
          for (const other of everyone) if (other !== peer && !online.has(other.peerId)) missing.push(`${peer.name}->${other.name}`);
        }
        return missing;
      }, { message: 'every tab shows every other one online', timeout: 60_000 })
      .toEqual([]);
    recordTiming(testInfo, 'manual invite, server down', { allLinkedMs: Date.now() - inviteStart });

    // History reaches the newcomer, and its messages reach everyone through the links it gained.
    await waitForMessages([newcomer], [before]);
    const hello = uniqueText('newcomer without a server');
    await sendMessage(newcomer, hello);
    await waitForMessages(peers, [hello]);
    expectNoPageErrors(everyone);
  } finally {
    await lateContext.close();
    await server.stop();
  }
});
