import { expect, test } from '@playwright/test';
import {
  attachFiles, corruptReads, download, enterPassphrase, fileCounters, fileIdOf, fileRow, heldOnOpen, openIsolatedPeer, transferState, waitForPhase, writePng, writeRandomFile,
  storedChunkFiles, writtenChunks,
} from '../fixtures/files';
import { expectNoPageErrors, newRoomName, nth, waitForFullMesh } from '../fixtures/tabs';

const MIB = 1024 * 1024;

test('a file and a picture shared by one tab reach two others byte for byte; the picture shows inline', async ({ browser }, testInfo) => {
  const room = newRoomName('files');
  const peers = [];
  for (const name of ['author', 'reader-1', 'reader-2']) peers.push(await openIsolatedPeer(browser, room, name));
  try {
    await waitForFullMesh(peers);
    const [author, ...readers] = peers;
    if (!author) throw new Error('no author');
    const fileSha = writeRandomFile(testInfo.outputPath('notes.bin'), 3 * MIB + 12_345);
    const pictureSha = writePng(testInfo.outputPath('cat.png'));
    await attachFiles(author.page, [testInfo.outputPath('notes.bin'), testInfo.outputPath('cat.png')]);
    // The author's rows show at once, the picture from its own store.
    await expect(fileRow(author.page, 'notes.bin')).toContainText('3.2 MB');
    await expect(author.page.getByRole('img', { name: 'cat.png' })).toBeVisible();

    for (const reader of readers) {
      await expect(fileRow(reader.page, 'notes.bin')).toBeVisible();
      // Pictures under the auto-fetch size come by themselves, shown with the file name as alt text.
      await expect(reader.page.getByRole('img', { name: 'cat.png' })).toBeVisible();
      expect((await download(reader.page, 'notes.bin')).sha).toBe(fileSha);
      const picture = await download(reader.page, 'cat.png');
      expect(picture).toEqual({ sha: pictureSha, suggested: 'cat.png' });
    }
    expectNoPageErrors(peers);
  } finally {
    for (const peer of peers) await peer.context.close();
  }
});

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

test('a private room: the file travels encrypted and downloads decrypted, byte for byte', async ({ browser }, testInfo) => {
  const room = `p/${newRoomName('files-private')}`;
  const prepare = enterPassphrase(`files ${Date.now()}`);
  const author = await openIsolatedPeer(browser, room, 'author', { prepare });
  const reader = await openIsolatedPeer(browser, room, 'reader', { prepare });
  try {
    await waitForFullMesh([author, reader]);
    const sha = writeRandomFile(testInfo.outputPath('secret.zip'), MIB + 777);
    const pictureSha = writePng(testInfo.outputPath('secret.png'));
    await attachFiles(author.page, [testInfo.outputPath('secret.zip'), testInfo.outputPath('secret.png')]);
    await expect(reader.page.getByRole('img', { name: 'secret.png' })).toBeVisible();
    expect((await download(reader.page, 'secret.zip')).sha).toBe(sha);
    expect((await download(reader.page, 'secret.png')).sha).toBe(pictureSha);
    expect((await download(author.page, 'secret.zip')).sha).toBe(sha);
    expectNoPageErrors([author, reader]);
  } finally {
    await author.context.close();
    await reader.context.close();
  }
});

test('deleting a file event removes its bytes on every peer', async ({ browser }, testInfo) => {
  const room = newRoomName('files');
  const author = await openIsolatedPeer(browser, room, 'author');
  const reader = await openIsolatedPeer(browser, room, 'reader');
  try {
    await waitForFullMesh([author, reader]);
    writeRandomFile(testInfo.outputPath('draft.txt'), 200_000);
    await attachFiles(author.page, [testInfo.outputPath('draft.txt')]);
    await download(reader.page, 'draft.txt');
    const fileId = await fileIdOf(reader.page, 'draft.txt');
    expect(await storedChunkFiles(reader.page, fileId)).toBeGreaterThan(0);
    const row = author.page.locator(`li[data-message-id="${fileId}"]`);
    await row.hover();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await author.page.getByRole('button', { name: 'Delete for everyone' }).click();
    for (const peer of [author, reader]) {
      await expect(peer.page.locator(`li[data-message-id="${fileId}"]`)).toContainText('Message deleted.');
      await expect.poll(() => storedChunkFiles(peer.page, fileId)).toBe(0);
    }
  } finally {
    await author.context.close();
    await reader.context.close();
  }
});

test('files dropped on the room and a pasted picture are shared like attached ones', async ({ browser }) => {
  const room = newRoomName('files');
  const author = await openIsolatedPeer(browser, room, 'author');
  const reader = await openIsolatedPeer(browser, room, 'reader');
  try {
    await waitForFullMesh([author, reader]);
    await author.page.evaluate(() => {
      const dropped = new DataTransfer();
      dropped.items.add(new File(['dropped bytes'], 'dropped.txt', { type: 'text/plain' }));
      document.querySelector('main')?.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
      const pasted = new DataTransfer();
      // The smallest valid GIF: a pasted screenshot arrives as an image file like this.
      const gif = Uint8Array.from(atob('R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs='), (char) => char.charCodeAt(0));
      pasted.items.add(new File([gif], 'image.gif', { type: 'image/gif' }));
      document.querySelector('textarea')?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
    });
    await expect(fileRow(reader.page, 'dropped.txt')).toBeVisible();
    await expect(reader.page.getByRole('img', { name: 'image.gif' })).toBeAttached();
    await expect(author.page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  } finally {
    await author.context.close();
    await reader.context.close();
  }
});
