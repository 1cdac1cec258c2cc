import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './fixtures/chromium-options.mjs';

const inCi = Boolean(process.env['CI']);

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  // Every test opens several tabs, each a renderer process doing WebRTC: on 2 cores one worker is the
  // most that stays deterministic.
  workers: 1,
  fullyParallel: false,
  forbidOnly: inCi,
  // Flakiness gets fixed, not retried away; CI keeps one retry only against machine hiccups.
  retries: inCi ? 1 : 0,
  reporter: 'list',
  // Generous for a loaded 2-core machine, but bounded: a stuck test fails instead of hanging CI.
  timeout: 90_000,
  globalTimeout: 20 * 60_000,
  expect: { timeout: 20_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: chromiumLaunchOptions(),
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
  },
});
