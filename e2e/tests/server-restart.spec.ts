import { expect, test, type Page } from '@playwright/test';
import { startServer, type ServerProcess } from '../fixtures/server-process.mjs';
import {
  expectNoPageErrors, newRoomName, nth, openPeer, openPeers, recordTiming, sendMessage, uniqueText, waitForFullMesh, waitForMessages,
} from '../fixtures/tabs';

/** "Connected · 2 peers" counts; "Reconnecting…", "Disconnected" and "Not connected" don't. */
const CONNECTED = /^(?!.*\bnot connected\b).*\bconnected\b/i;

function statusText(page: Page): Promise<string> {
  return page.getByRole('status').first().innerText();
}

test('peers keep chatting while the signal server is down and reconnect once it is back', async ({ context }, testInfo) => {
  // This test stops its own server, so it must not use the shared one.
  let server: ServerProcess = await startServer();
  try {
    const room = newRoomName();
    const peers = await openPeers(context, 3, room, { base: server.url });
    await waitForFullMesh(peers);
    for (const peer of peers) await expect.poll(() => statusText(peer.page)).toMatch(CONNECTED);

    const port = server.port;
    await server.stop();
    for (const peer of peers) await expect.poll(() => statusText(peer.page), { message: `${peer.name} notices the outage` }).not.toMatch(CONNECTED);

    // The mesh does not need the server once links exist.
    const during = uniqueText('sent during the outage');
    await sendMessage(nth(peers, 0), during);
    await waitForMessages(peers, [during]);

    server = await startServer({ port });
    const restartedAt = Date.now();
    const reconnectMs = await Promise.all(peers.map(async (peer) => {
      await expect.poll(() => statusText(peer.page), { message: `${peer.name} reconnects`, timeout: 60_000, intervals: [100] }).toMatch(CONNECTED);
      return Date.now() - restartedAt;
    }));

    // A newcomer finds the room through the restarted server and links to everyone already there.
    const newcomerStart = Date.now();
    const newcomer = await openPeer(context, room, 'newcomer', { base: server.url });
    await waitForFullMesh([...peers, newcomer], 60_000);
    const newcomerMeshMs = Date.now() - newcomerStart;
    await waitForMessages([newcomer], [during]);
    const after = uniqueText('after the restart');
    await sendMessage(newcomer, after);
    await waitForMessages(peers, [after]);

    recordTiming(testInfo, 'signal server restart', { reconnectMsMax: Math.max(...reconnectMs), newcomerMeshMs });
    expectNoPageErrors([...peers, newcomer]);
  } finally {
    await server.stop();
  }
});
