import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type NodePeer, messageWithText, startNodePeer } from '../fixtures/node-peer';
import { expectNoPageErrors, newRoomName, nth, openPeer, openPeers, sendMessage, serverUrl, uniqueText, waitForMessages } from '../fixtures/tabs';

const started: NodePeer[] = [];
const dirs: string[] = [];
test.afterEach(() => {
  for (const peer of started.splice(0)) if (peer.process.exitCode === null) peer.process.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const nodePeer = (args: string[]) => {
  const peer = startNodePeer(args);
  started.push(peer);
  return peer;
};
const keepDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-keeper-e2e-'));
  dirs.push(dir);
  return dir;
};

test('a Node peer chats with two tabs both ways; killed with SIGKILL and restarted, the keeper alone gives a fresh browser the whole history', async ({ context, browser }) => {
  const room = newRoomName('keeper');
  const dir = keepDir();
  const link = `${serverUrl()}/#${room}`;
  const keeper = nodePeer([link, '--keep', dir, '--name', 'keeper']);
  await keeper.waitFor('ready', (e) => e.type === 'ready');
  const tabs = await openPeers(context, 2, room);
  await keeper.waitFor('both tabs online', () => keeper.events.filter((e) => e.type === 'peer' && e.state === 'online').length >= 2);

  const texts = [uniqueText('from tab 1'), uniqueText('from the node peer'), uniqueText('from tab 2')];
  await sendMessage(nth(tabs, 0), texts[0]!);
  await keeper.waitFor('tab 1 message', messageWithText(texts[0]!));
  keeper.say(texts[1]!);
  await waitForMessages(tabs, [texts[1]!]);
  await sendMessage(nth(tabs, 1), texts[2]!);
  await keeper.waitFor('tab 2 message', messageWithText(texts[2]!));
  expectNoPageErrors(tabs);
  for (const tab of tabs) await tab.page.close();

  keeper.process.kill('SIGKILL');
  expect(await keeper.exited).toBe('SIGKILL');
  // Restarted with its directory alone: it resumes the rooms it kept (DIR/rooms.json).
  const restarted = nodePeer(['--keep', dir, '--name', 'keeper']);
  // Everything it printed before the kill is on disk: shown again as history at start.
  for (const text of texts) await restarted.waitFor(`stored ${text}`, (e) => messageWithText(text)(e) && e.type === 'message' && e.history);

  const fresh = await browser.newContext();
  try {
    const late = await openPeer(fresh, room, 'late-reader');
    await waitForMessages([late], texts);
    expectNoPageErrors([late]);
  } finally {
    await fresh.close();
  }
  restarted.process.kill('SIGTERM');
  expect(await restarted.exited).toBe(0);
  expect([...keeper.strayLines, ...restarted.strayLines]).toEqual([]);
});

test('a blind keeper started from the Keeper token field stores and serves a private room without any plaintext', async ({ context, browser }) => {
  const name = newRoomName('blind');
  const passphrase = `tidal ${Date.now()}`;
  const enter = async (page: import('@playwright/test').Page) => {
    await page.getByLabel('Passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Enter' }).click();
  };
  const writer = await openPeer(context, `p/${name}`, 'writer', { prepare: enter });
  const token = await writer.page.getByRole('textbox', { name: 'Keeper token' }).inputValue();
  expect(token).toMatch(/^shoalk1\./);
  const dir = keepDir();
  const keeper = nodePeer(['--keeper-token', token, '--keep', dir, `${serverUrl()}/`]);
  await keeper.waitFor('writer online', (e) => e.type === 'peer' && e.state === 'online');
  const secret = uniqueText('the vault code is');
  await sendMessage(writer, secret);
  await keeper.waitFor('the ciphertext', (e) => e.type === 'message' && e.problem === 'BLIND' && e.kind === 'text');
  await writer.page.close();

  const fresh = await browser.newContext();
  try {
    const reader = await openPeer(fresh, `p/${name}`, 'reader', { prepare: enter });
    await waitForMessages([reader], [secret]);
  } finally {
    await fresh.close();
  }
  keeper.process.kill('SIGTERM');
  expect(await keeper.exited).toBe(0);
  const files = readdirSync(dir).map((file) => join(dir, file)).filter((file) => statSync(file).isFile());
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const forbidden of [secret, passphrase, name]) expect(bytes.includes(forbidden), `${file} holds ${forbidden}`).toBe(false);
  }
  const output = JSON.stringify(keeper.events) + keeper.stderr.join('\n');
  for (const forbidden of [secret, passphrase, name]) expect(output.includes(forbidden)).toBe(false);
});
