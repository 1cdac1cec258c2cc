import { expect, test } from '@playwright/test';
import { churn, tabFootprint } from '../fixtures/churn.mjs';
import { newRoomName, roomUrl, waitForHooks } from '../fixtures/tabs';

/** The CI-sized version of `npm run bench:churn` (1,000 cycles there). */
const CYCLES = 600;

test(`a tab outlives ${CYCLES} peers coming and going and still links to a newcomer`, async ({ context }) => {
  test.setTimeout(CYCLES * 2_000);
  const url = roomUrl(newRoomName('churn'));
  const stayer = await context.newPage();
  await stayer.goto(url);
  await waitForHooks(stayer);
  const churner = await context.newPage();
  await churner.goto(url);
  await churn(stayer, churner, 3);
  const before = await tabFootprint(stayer);
  await churn(stayer, churner, CYCLES);
  const after = await tabFootprint(stayer);
  // One live link (to the churning tab's current page); every earlier connection was closed and released.
  expect(after.liveConnections).toBeLessThanOrEqual(2);
  expect(after.heapBytes - before.heapBytes).toBeLessThan(10 * 1024 * 1024);
  await churner.close();
  const newcomer = await context.newPage();
  await newcomer.goto(url);
  await churn(stayer, newcomer, 1);
});
