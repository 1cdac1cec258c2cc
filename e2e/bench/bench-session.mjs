// What both browser benchmarks share: a built server on port 0, one headless Chromium with the project's
// launch arguments, a hard deadline, and cleanup of both whatever happens.
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../fixtures/chromium-options.mjs';
import { snapshotWebApp, startServer } from '../fixtures/server-process.mjs';

/**
 * @typedef {object} BenchSession
 * @property {import('@playwright/test').Browser} browser
 * @property {string} baseUrl Server URL without trailing slash.
 */

/**
 * Runs `body` with a fresh server and browser, prints its result as ONE JSON line on stdout, and exits
 * non-zero (after cleanup) on failure or when `deadlineMs` passes. Progress goes to stderr.
 * @param {string} name
 * @param {number} deadlineMs
 * @param {(session: BenchSession) => Promise<Record<string, unknown>>} body
 * @returns {Promise<void>}
 */
export async function runBench(name, deadlineMs, body) {
  /** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
  let server;
  /** @type {import('@playwright/test').Browser | undefined} */
  let browser;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let deadline;
  /** @type {ReturnType<typeof snapshotWebApp> | null} */
  let snapshot = null;
  const cleanup = async () => {
    clearTimeout(deadline);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    snapshot?.remove();
  };
  try {
    const timedOut = new Promise((_, reject) => {
      deadline = setTimeout(() => reject(new Error(`${name} benchmark exceeded its ${deadlineMs} ms deadline`)), deadlineMs);
    });
    const run = (async () => {
      // Serve a copy of web/dist (unless STATIC_DIR is set) so a rebuild cannot change the app mid-run.
      snapshot = process.env['STATIC_DIR'] ? null : snapshotWebApp();
      server = await startServer(snapshot ? { env: { STATIC_DIR: snapshot.dir } } : {});
      browser = await chromium.launch({ headless: true, ...chromiumLaunchOptions() });
      return body({ browser, baseUrl: server.url });
    })();
    const result = await Promise.race([run, timedOut]);
    await cleanup();
    process.stdout.write(JSON.stringify({ bench: name, ...result }) + '\n');
  } catch (error) {
    await cleanup();
    process.stderr.write(`${name} benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  }
}

/** @param {string} message */
export function progress(message) {
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

/**
 * Nearest-rank percentile of unsorted samples; NaN when there are none.
 * @param {readonly number[]} samples
 * @param {number} p 0..100
 */
export function percentile(samples, p) {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return /** @type {number} */ (sorted[rank - 1]);
}

/** @param {number} value */
export function round1(value) {
  return Math.round(value * 10) / 10;
}

/**
 * Reads a flag with a value, `--compare DIR` (or `--compare=DIR`); undefined when absent.
 * @param {readonly string[]} argv
 * @param {string} flag
 * @returns {string | undefined}
 */
export function stringFlag(argv, flag) {
  const index = argv.findIndex((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
  if (index < 0) return undefined;
  const arg = /** @type {string} */ (argv[index]);
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  if (!value || value.startsWith('--')) throw new Error(`--${flag} needs a value`);
  return value;
}

/**
 * Reads an integer flag such as `--tabs 16` (or `--tabs=16`) within [min, max].
 * @param {readonly string[]} argv
 * @param {string} flag
 * @param {number} fallback
 * @param {number} min
 * @param {number} max
 */
export function intFlag(argv, flag, fallback, min, max) {
  const raw = stringFlag(argv, flag);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${flag} must be an integer from ${min} to ${max}, got ${raw}`);
  }
  return value;
}

/**
 * URL of a room page with the test hooks on.
 * @param {string} baseUrl
 * @param {string} room
 */
export function benchRoomUrl(baseUrl, room) {
  return `${baseUrl}/?testHooks=1#${room}`;
}

/**
 * Rejects when `promise` has not settled within `ms`.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
export function within(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms); });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)));
}
