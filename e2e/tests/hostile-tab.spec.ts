import { expect, test, type Page } from '@playwright/test';
import { HOSTILE_PEER_ID, openHostileTab } from '../fixtures/hostile-tab';
import {
  counters, expectNoPageErrors, linkedPeerIds, newRoomName, nth, openPeer, recordTiming, sendMessage, uniqueText,
  waitForFullMesh, waitForMessages, type Peer,
} from '../fixtures/tabs';

/** Records the signaling frames a tab sends (the server operator's view), from the first one on. */
function recordFrames(page: Page, frames: string[]): void {
  page.on('websocket', (socket) => socket.on('framesent', (frame) => frames.push(String(frame.payload))));
}

/** The room id and protocol version of the first `join` among the frames. */
function joinOf(frames: readonly string[]): { room: string; version: number } {
  const join = frames.map((f) => JSON.parse(f) as { type: string; room?: string; v?: number }).find((f) => f.type === 'join');
  if (!join?.room || join.v === undefined) throw new Error('no join frame recorded');
  return { room: join.room, version: join.v };
}

test('a hostile tab that knows only a private room\'s server-side id links to no member and learns no name', async ({ context, browser }) => {
  const name = newRoomName('private');
  const passphrase = `hostile test ${Date.now()}`;
  const frames: string[] = [];
  const insiders: Peer[] = [];
  for (const label of ['insider-1', 'insider-2']) {
    insiders.push(await openPeer(context, `p/${name}`, label, {
      prepare: async (page) => {
        recordFrames(page, frames);
        await page.getByLabel('Passphrase').fill(passphrase);
        await page.getByRole('button', { name: 'Enter' }).click();
      },
    }));
  }
  await waitForFullMesh(insiders);
  const hostileContext = await browser.newContext();
  try {
    const hostile = await openHostileTab(hostileContext, { ...joinOf(frames), mode: 'outsider' });
    // Both members dialled it (its id is the highest) and opened a data channel to it...
    await expect.poll(async () => (await hostile.stats()).linked.length, { message: 'members opened channels to the hostile tab' }).toBe(2);
    // ...and closed it for want of a room-key proof.
    for (const peer of insiders) {
      await expect.poll(async () => (await counters(peer.page))?.roomProofFailures ?? 0).toBeGreaterThan(0);
      await expect.poll(() => linkedPeerIds(peer.page)).not.toContain(HOSTILE_PEER_ID);
    }
    const received = (await hostile.stats()).frames;
    expect(received.length).toBeGreaterThan(0);
    expect(received.map((f) => (JSON.parse(f) as { type: string }).type).filter((t) => t !== 'room-auth' && t !== 'room-proof')).toEqual([]);
    expect(received.filter((f) => f.includes('insider'))).toEqual([]);
    // Members chat on, unaware and unbothered: no wrong-passphrase alert for them.
    const text = uniqueText('still private');
    await sendMessage(nth(insiders, 0), text);
    await waitForMessages(insiders, [text]);
    for (const peer of insiders) await expect(peer.page.getByRole('alert')).toHaveCount(0);
    expectNoPageErrors(insiders);
  } finally {
    await hostileContext.close();
  }
});

test('an honest newcomer links while a hostile member floods relayed offers under made-up peer ids', async ({ context, browser }, testInfo) => {
  const room = newRoomName('flood');
  const frames: string[] = [];
  // Recorded from the page's creation on: a public room's socket opens during navigation.
  const record = (page: Page) => recordFrames(page, frames);
  context.on('page', record);
  const victim = await openPeer(context, room, 'victim');
  context.off('page', record);
  // The idle figure first: how long a newcomer takes to link to the victim with nobody attacking.
  let joinedAt = Date.now();
  const idle = await openPeer(context, room, 'idle-newcomer');
  await waitForFullMesh([victim, idle]);
  const idleLinkMs = Date.now() - joinedAt;
  await idle.page.close();
  const hostileContext = await browser.newContext();
  try {
    const hostile = await openHostileTab(hostileContext, { ...joinOf(frames), mode: 'flood', floodPerSecond: 200, floodMs: 12_000 });
    await expect.poll(async () => (await hostile.stats()).floodSent, { message: 'the flood started' }).toBeGreaterThan(200);
    joinedAt = Date.now();
    const newcomer = await openPeer(context, room, 'newcomer');
    await waitForFullMesh([victim, newcomer]);
    const linkMs = Date.now() - joinedAt;
    const stats = await hostile.stats();
    // The link formed during the flood, and the flood was refused past the caps rather than obeyed.
    expect(stats.floodDone).toBe(false);
    expect((await counters(victim.page))?.relaySignalsOverCap ?? 0).toBeGreaterThan(100);
    recordTiming(testInfo, 'newcomer link under a 200/s relayed-offer flood', { idleLinkMs, linkMs, floodSent: stats.floodSent });
    const text = uniqueText('through the flood');
    await sendMessage(newcomer, text);
    await waitForMessages([victim, newcomer], [text]);
    expectNoPageErrors([victim, newcomer]);
  } finally {
    await hostileContext.close();
  }
});
