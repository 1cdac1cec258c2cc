// bench:broadcast (issue 14): runs the simulated big room twice from one seed, with broadcast trees and
// with plain flooding, one process each at the same time (dist/broadcast.mjs --mode ...; 1000 peers
// take ~10 minutes per mode here, ~36 with 30 % churn), passes their progress through to stderr and prints one
// JSON line: the trees' figures, with flooding's under `flood`. The arguments go to both processes.
//   node shared/bench/broadcast-both.mjs [--peers N] [--churn F] [--seed S] [--messages M] [--idle S]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SIMULATION = fileURLToPath(new URL('./dist/broadcast.mjs', import.meta.url));
/**
 * One process holds every member of the room (1000 peers take up to ~6 GB), and allocates a frame's
 * worth of objects per message and link: a 64 MB young generation made a 200-peer run ~15 % faster
 * (3 runs each, 32-35 s against 39-44 s at V8's default).
 */
const NODE_FLAGS = ['--max-old-space-size=12288', '--max-semi-space-size=64'];

/**
 * Runs one mode to its end; resolves with its JSON line, or rejects with its exit code and last stderr.
 * @param {'trees' | 'flooding'} mode
 * @returns {Promise<Record<string, unknown>>}
 */
function runMode(mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, SIMULATION, ...process.argv.slice(2), '--mode', mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let lastError = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      process.stderr.write(chunk);
      lastError = (lastError + chunk).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`${mode} run ended with ${signal ?? `exit code ${code}`}: ${lastError.trim()}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`${mode} run printed no JSON line: ${out.slice(0, 200)}`));
      }
    });
  });
}

/** What both processes print beside their figures: the run's settings, mode and own wall time. */
const NOT_FIGURES = new Set(['peers', 'messages', 'churn', 'seed', 'idleSeconds', 'mode', 'wallMs']);
/** @param {Record<string, unknown>} line */
const figuresOf = (line) => Object.fromEntries(Object.entries(line).filter(([key]) => !NOT_FIGURES.has(key)));

const started = performance.now();
const [trees, flooding] = await Promise.allSettled([runMode('trees'), runMode('flooding')]);
if (trees.status === 'fulfilled' && flooding.status === 'fulfilled') {
  const { peers, messages, churn, seed, idleSeconds } = trees.value;
  const line = { peers, messages, churn, seed, idleSeconds, ...figuresOf(trees.value), flood: figuresOf(flooding.value) };
  process.stdout.write(`${JSON.stringify({ ...line, wallMs: Math.round(performance.now() - started) })}\n`);
} else {
  for (const run of [trees, flooding]) if (run.status === 'rejected') process.stderr.write(`${run.reason.message}\n`);
  process.exitCode = 1;
}
