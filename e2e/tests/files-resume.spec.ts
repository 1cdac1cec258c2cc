import { expect, test } from '@playwright/test';
import {
  attachFiles, corruptReads, download, fileCounters, fileIdOf, fileRow, heldOnOpen, openIsolatedPeer, transferState, waitForPhase, writeRandomFile, writtenChunks,
} from '../fixtures/files';
import { expectNoPageErrors, newRoomName, nth, waitForFullMesh } from '../fixtures/tabs';

const MIB = 1024 * 1024;

test('after the author leaves, a newcomer gets the file from the others; a reload keeps it', async ({ browser }, testInfo) => {
  const room = newRoomName('files');
  const author = await openIsolatedPeer(browser, room, 'author');
  const holder = await openIsolatedPeer(browser, room, 'holder');
  const contexts = [author.context, holder.context];
  try {
    await waitForFullMesh([author, holder]);
    const sha = writeRandomFile(testInfo.outputPath('report.pdf'), 2 * MIB);
    await attachFiles(author.page, [testInfo.outputPath('report.pdf')]);
    expect((await download(holder.page, 'report.pdf')).sha).toBe(sha);
    await author.context.close();

    const newcomer = await openIsolatedPeer(browser, room, 'newcomer');
    contexts.push(newcomer.context);
    await expect(fileRow(newcomer.page, 'report.pdf')).toBeVisible();
    expect((await download(newcomer.page, 'report.pdf')).sha).toBe(sha);

    // The holder reloads: the row and the bytes are still there, complete without asking anyone.
    await holder.page.reload();
    await expect(fileRow(holder.page, 'report.pdf')).toBeVisible();
    const fileId = await fileIdOf(holder.page, 'report.pdf');
    expect((await download(holder.page, 'report.pdf')).sha).toBe(sha);
    expect(await writtenChunks(holder.page, fileId)).toEqual([]);
    expectNoPageErrors([holder, newcomer]);
  } finally {
    for (const context of contexts) await context.close();
  }
});

test('a transfer cut by a reload resumes without fetching again what it had stored', async ({ browser }, testInfo) => {
  const room = newRoomName('files');
  const author = await openIsolatedPeer(browser, room, 'author');
  const reader = await openIsolatedPeer(browser, room, 'reader');
  try {
    await waitForFullMesh([author, reader]);
    const sha = writeRandomFile(testInfo.outputPath('video.mp4'), 40 * MIB);
    await attachFiles(author.page, [testInfo.outputPath('video.mp4')]);
    await expect(fileRow(reader.page, 'video.mp4')).toBeVisible();
    const fileId = await fileIdOf(reader.page, 'video.mp4');
    await reader.page.getByRole('button', { name: 'Download video.mp4' }).click();
    await expect(reader.page.getByRole('progressbar', { name: 'Fetching video.mp4' })).toBeVisible();
    await expect.poll(async () => (await transferState(reader.page, fileId))?.receivedBytes ?? 0, { timeout: 30_000 }).toBeGreaterThan(4 * MIB);

    await reader.page.reload();
    // The reloaded page resumes on its own (the store holds part of the file) and finishes.
    await waitForPhase(reader.page, fileId, 'complete');
    const before = (await heldOnOpen(reader.page, fileId)) ?? [];
    const after = await writtenChunks(reader.page, fileId);
    expect(before.length).toBeGreaterThan(0);
    expect(after.filter((index) => before.includes(index))).toEqual([]);
    const chunks = new Set([...before, ...after]);
    expect(Math.max(...chunks) + 1).toBe(chunks.size);
    expect((await download(reader.page, 'video.mp4')).sha).toBe(sha);
  } finally {
    await author.context.close();
    await reader.context.close();
  }
});

test('a holder serving tampered chunks is refused; the file still arrives intact from an honest one', async ({ browser }, testInfo) => {
  const room = newRoomName('files');
  const peers = [];
  for (const name of ['author', 'tamperer', 'reader']) peers.push(await openIsolatedPeer(browser, room, name));
  const [author, tamperer, reader] = [nth(peers, 0), nth(peers, 1), nth(peers, 2)];
  try {
    await waitForFullMesh(peers);
    const sha = writeRandomFile(testInfo.outputPath('data.bin'), 4 * MIB);
    await attachFiles(author.page, [testInfo.outputPath('data.bin')]);
    expect((await download(tamperer.page, 'data.bin')).sha).toBe(sha);
    await corruptReads(tamperer.page);
    expect((await download(reader.page, 'data.bin')).sha).toBe(sha);
    // The reader asked both holders; what the tamperer sent failed verification and was not stored.
    expect((await fileCounters(reader.page))?.badChunks).toBeGreaterThan(0);
    const fileId = await fileIdOf(reader.page, 'data.bin');
    expect((await transferState(reader.page, fileId))?.phase).toBe('complete');
  } finally {
    for (const peer of peers) await peer.context.close();
  }
});
