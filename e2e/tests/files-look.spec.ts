import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { attachFiles, fileRow, openIsolatedPeer, writePng, writeRandomFile } from '../fixtures/files';
import { expectNoPageErrors, messageLog, newRoomName, waitForFullMesh } from '../fixtures/tabs';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

test('a room with a file, a picture and a running transfer: no serious axe violation, nothing overflows; screenshots at 1280 and 390 px', async ({ browser }, testInfo) => {
  const room = newRoomName('files-look');
  const author = await openIsolatedPeer(browser, room, 'Ada');
  const readers = [];
  for (const viewport of VIEWPORTS) readers.push(await openIsolatedPeer(browser, room, `Brian-${viewport.name}`, { viewport }));
  const peers = [author, ...readers];
  try {
    await waitForFullMesh(peers);
    writePng(testInfo.outputPath('harbour.png'), 320);
    writeRandomFile(testInfo.outputPath('Quarterly report (final).pdf'), 1_234_567);
    // Big enough that the transfer still runs while both screenshots are taken.
    writeRandomFile(testInfo.outputPath('site-backup.tar'), 160 * 1024 * 1024);
    await attachFiles(author.page, [testInfo.outputPath('harbour.png'), testInfo.outputPath('Quarterly report (final).pdf')]);
    await attachFiles(author.page, [testInfo.outputPath('site-backup.tar')]);
    for (const reader of readers) {
      await expect(reader.page.getByRole('img', { name: 'harbour.png' })).toBeVisible();
      await expect(fileRow(reader.page, 'site-backup.tar')).toBeVisible();
    }
    for (const reader of readers) await reader.page.getByRole('button', { name: 'Download site-backup.tar' }).click();
    for (const [index, reader] of readers.entries()) {
      const bar = reader.page.getByRole('progressbar', { name: 'Fetching site-backup.tar' });
      await expect(bar).toBeVisible();
      await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThan(0);
      await reader.page.screenshot({ path: testInfo.outputPath(`files-${VIEWPORTS[index]?.name}.png`) });
      const overflow = await messageLog(reader.page).evaluate((log) => log.scrollWidth - log.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
    const results = await new AxeBuilder({ page: readers[0]?.page ?? author.page }).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
    expect(serious).toEqual([]);
    expectNoPageErrors(peers);
  } finally {
    for (const peer of peers) await peer.context.close();
  }
});
