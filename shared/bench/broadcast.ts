/**
 * Broadcast bench (issue 14): a big room over memory links with the fake clock and instant crypto, run
 * twice from the same seed — broadcast trees and plain flooding on the same overlay (peer exchange
 * draws the same random links either way) — and printed as one JSON line. This file runs one of the two
 * (`--mode trees|flooding`, its figures as one JSON line); broadcast-both.mjs runs both at once, a
 * process each (1000 peers take ~10 minutes per mode here), and joins their lines.
 * After the chat the room stays quiet for `--idle` seconds (default 60), over which what each member sends
 * to stay in the room is measured (`idleBytesPerMemberPerSecond`).
 * Run both: `npm run bench:broadcast -- --peers N [--churn F] [--seed S] [--messages M] [--idle S]`.
 */
import { runBroadcast } from '../test/helpers/broadcast-run';

interface Host {
  process: { argv: string[]; stdout: { write(s: string): void }; stderr: { write(s: string): void }; exitCode?: number };
  performance: { now(): number };
}
const host = globalThis as unknown as Host;

function flag(name: string, fallback: number): number {
  const args = host.process.argv;
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

const peers = flag('peers', 100);
const churn = flag('churn', 0);
const seed = flag('seed', 1);
const messages = flag('messages', 100);
const idleSeconds = flag('idle', 60);
const mode = host.process.argv[host.process.argv.indexOf('--mode') + 1];
if (!host.process.argv.includes('--mode') || (mode !== 'trees' && mode !== 'flooding')) throw new Error('--mode takes trees or flooding');
if (!Number.isInteger(idleSeconds) || idleSeconds < 1) throw new Error('--idle takes whole seconds, at least 1');
const started = host.performance.now();
/** Progress on stderr: stdout stays the one JSON line. */
const progress = (stage: string): void => {
  host.process.stderr.write(`[${Math.round((host.performance.now() - started) / 1000)} s] ${mode}: ${stage}\n`);
};
const figures = await runBroadcast({ peers, messages, churn, seed, idleSeconds, options: { broadcastTrees: mode === 'trees' }, progress });
host.process.stdout.write(`${JSON.stringify({ peers, messages, churn, seed, idleSeconds, mode, ...figures, wallMs: Math.round(host.performance.now() - started) })}\n`);
