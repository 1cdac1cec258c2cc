import { expect, test, type Page } from '@playwright/test';
import {
  expectNoPageErrors, linkedPeerIds, newRoomName, nth, openPeer, readLog, sendMessage, uniqueText, waitForFullMesh,
  waitForMessages, type Peer,
} from '../fixtures/tabs';

/**
 * Answers the private room's passphrase form; the room (and its signaling socket) opens only after
 * that, so frames are recorded from the first one on.
 */
const enterPassphrase = (passphrase: string, frames: string[]) => async (page: Page) => {
  page.on('websocket', (socket) => socket.on('framesent', (frame) => frames.push(String(frame.payload))));
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Enter' }).click();
};

test('a private room: same passphrase chats, another passphrase is told it is wrong and links to nobody, the server never sees name or passphrase', async ({ context, browser }) => {
  const name = newRoomName('secret');
  const passphrase = `correct horse ${Date.now()}`;
  const signalingFrames: string[] = [];

  const insiders: Peer[] = [];
  for (const label of ['insider-1', 'insider-2']) {
    insiders.push(await openPeer(context, `p/${name}`, label, { prepare: enterPassphrase(passphrase, signalingFrames) }));
  }
  await waitForFullMesh(insiders);
  // The composer stops at what encryption accepts (MAX_TEXT_CHARS), not at the wire's body limit.
  await expect(nth(insiders, 0).page.getByRole('textbox', { name: 'Message' })).toHaveAttribute('maxlength', '4000');
  const secret = uniqueText('for insiders only');
  await sendMessage(nth(insiders, 0), secret);
  await waitForMessages(insiders, [secret]);

  // A browser with the wrong passphrase meets the insiders at the signal server, fails the room-key proof,
  // links to nobody and says why.
  const outsiderContext = await browser.newContext();
  try {
    const outsider = await openPeer(outsiderContext, `p/${name}`, 'outsider', { prepare: enterPassphrase(`${passphrase}!`, signalingFrames) });
    await expect(outsider.page.getByRole('alert')).toContainText('Wrong passphrase: peers in this room use a different one');
    for (const peer of insiders) await expect(peer.page.getByRole('alert')).toHaveCount(0);
    const ownText = uniqueText('outsider talking alone');
    await sendMessage(outsider, ownText);
    // By the time the insiders chat again, a shared room would have linked the outsider in.
    const again = uniqueText('insiders again');
    await sendMessage(nth(insiders, 1), again);
    await waitForMessages(insiders, [again]);
    await expect.poll(() => linkedPeerIds(outsider.page)).toEqual([]);
    for (const peer of insiders) await expect.poll(() => linkedPeerIds(peer.page)).not.toContain(outsider.peerId);
    expect((await readLog(outsider.page)).filter((entry) => entry.text.includes(secret) || entry.text.includes(again))).toEqual([]);
    for (const peer of insiders) expect((await readLog(peer.page)).filter((entry) => entry.text.includes(ownText))).toEqual([]);

    // Joins, offers, answers and candidates: none of them names the room or carries the passphrase.
    expect(signalingFrames.filter((frame) => frame.includes('"join"')).length).toBeGreaterThanOrEqual(3);
    expect(signalingFrames.filter((frame) => frame.includes(name) || frame.includes(passphrase))).toEqual([]);
    expectNoPageErrors([...insiders, outsider]);
  } finally {
    await outsiderContext.close();
  }
});
