import { expect, test } from '@playwright/test';
import {
  attachFiles, download, enterPassphrase, fileIdOf, fileRow, openIsolatedPeer, writePng, writeRandomFile, storedChunkFiles,
} from '../fixtures/files';
import { expectNoPageErrors, newRoomName, waitForFullMesh } from '../fixtures/tabs';

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
