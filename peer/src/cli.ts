import { createInterface } from 'node:readline';
import { USAGE_EXIT_CODE } from './cli-error';
import { runCommand, send } from './commands';
import { HELP_TEXT } from './help-text';
import type { PeerEvent } from './peer-events';
import { resolveCli, startPeer } from './start-peer';
import { formatForTerminal } from './terminal-ui';

/**
 * The `shoal-peer` process: the only module touching process (argv, stdio, signals, exit). Usage errors
 * print `shoal-peer: CODE: message` on stderr and exit 2 before anything connects.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const resolved = await resolveCli(argv);
  if (!resolved.ok) {
    process.stderr.write(`shoal-peer: ${resolved.error.code}: ${resolved.error.message}\n`);
    process.exitCode = USAGE_EXIT_CODE;
    return;
  }
  const { options } = resolved.value;
  if (options.help) {
    process.stdout.write(`${HELP_TEXT}\n`);
    return;
  }
  const emit = options.json
    ? (event: PeerEvent) => process.stdout.write(`${JSON.stringify(event)}\n`)
    : (event: PeerEvent) => {
        const line = formatForTerminal(event);
        if (line !== null) process.stdout.write(`${line}\n`);
      };
  const started = await startPeer(resolved.value, emit);
  if (!started.ok) {
    process.stderr.write(`shoal-peer: ${started.error.code}: ${started.error.message}\n`);
    process.exitCode = USAGE_EXIT_CODE;
    return;
  }
  const peer = started.value;
  const input = createInterface({ input: process.stdin, terminal: false });
  let leaving = false;
  const leave = () => {
    if (leaving) return;
    leaving = true;
    input.close();
    peer.stop();
    // Every RTCPeerConnection is closed by now; the native WebRTC threads would still hold the process
    // for seconds, so exit once stdout has drained.
    process.stdout.write('', () => process.exit(0));
  };
  process.on('SIGINT', leave);
  process.on('SIGTERM', leave);
  const first = peer.rooms[0];
  if (!first) return leave();
  input.on('line', (line) => {
    if (options.json) {
      if (line.trim() !== '') void send(line, first, (code, message) => emit({ type: 'error', code, message, room: first.room }));
      return;
    }
    void runCommand(line, first, { print: (text) => process.stdout.write(`${text}\n`), emit, quit: leave });
  });
  // A bot's or keeper's stdin may end (</dev/null, a finished pipe): it keeps running until a signal.
  // A person at a terminal who presses Ctrl-D means to leave.
  input.on('close', () => {
    if (process.stdin.isTTY) leave();
  });
}
