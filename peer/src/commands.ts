import { MAX_NAME_CHARS, MAX_TEXT_CHARS } from '@shoal/shared';
import type { JoinedRoom } from './join-room';
import type { PeerEvent } from './peer-events';
import { formatPeers } from './terminal-ui';

export interface CommandIo {
  /** A line for the person at the terminal. */
  print(line: string): void;
  emit(event: PeerEvent): void;
  quit(): void;
}

/**
 * One line typed in the terminal: a command (`/peers`, `/name`, `/file`, `/invite`, `/quit`) or a message. Never
 * throws: failures are reported as error events.
 */
export async function runCommand(line: string, room: JoinedRoom, io: CommandIo): Promise<void> {
  const trimmed = line.trim();
  if (trimmed === '') return;
  const [command = '', ...rest] = trimmed.split(/\s+/);
  const argument = rest.join(' ');
  const error = (code: 'BAD_COMMAND' | 'SEND_FAILED' | 'INVITE_FAILED', message: string) => io.emit({ type: 'error', code, message, room: room.room });
  try {
    switch (command) {
      case '/quit':
        return io.quit();
      case '/peers':
        return io.print(formatPeers(room.peers()));
      case '/name':
        if (argument.length === 0 || argument.length > MAX_NAME_CHARS) return error('BAD_COMMAND', `/name takes a name of 1 to ${MAX_NAME_CHARS} characters`);
        room.setName(argument);
        return io.print(`* you are now ${argument}`);
      case '/file': {
        if (argument === '') return error('BAD_COMMAND', '/file takes the path of a file to share');
        const shared = await room.shareFile(argument);
        return shared.ok ? io.print(`* shared ${argument}`) : error('SEND_FAILED', `${shared.error.code}: ${shared.error.message}`);
      }
      case '/invite': {
        if (argument === '') return io.emit({ type: 'invite', room: room.room, code: await room.manual.createInvite() });
        const result = await room.manual.usePasted(argument);
        if (result.kind === 'answer') return io.emit({ type: 'invite', room: room.room, code: result.code });
        if (result.kind === 'error') return error('INVITE_FAILED', result.message);
        return io.print('* connecting…');
      }
      default:
        if (command.startsWith('/')) return error('BAD_COMMAND', `unknown command ${command}: /peers /name NAME /file PATH /invite [CODE] /quit`);
        return send(trimmed, room, error);
    }
  } catch (failure) {
    error(command === '/invite' ? 'INVITE_FAILED' : 'SEND_FAILED', failure instanceof Error ? failure.message : String(failure));
  }
}

/** Sends a line as a text message (also the `--json` path). */
export async function send(text: string, room: JoinedRoom, error: (code: 'SEND_FAILED', message: string) => void): Promise<void> {
  if (text.length > MAX_TEXT_CHARS) return error('SEND_FAILED', `a message is at most ${MAX_TEXT_CHARS} characters`);
  try {
    await room.say(text);
  } catch (failure) {
    error('SEND_FAILED', failure instanceof Error ? failure.message : String(failure));
  }
}
