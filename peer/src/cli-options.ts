import { parseArgs } from 'node:util';
import { MAX_NAME_CHARS, type RoomName, decodeKeeperToken } from '@shoal/shared';
import { DEFAULT_FILE_SWARM_OPTIONS } from '@shoal/shared/files';
import { parseSignalList } from '@shoal/shared/link';
import { type CliResult, cliFail, cliOk } from './cli-error';
import { type RoomTarget, roomTarget, serverSignal } from './room-target';

/** Largest `--max-events`: beyond it retention is not what bounds the disk. */
export const MAX_RETAINED_EVENTS = 100_000_000;
/** Most rooms one process keeps (each holds a signaling socket and up to a mesh of links). */
export const MAX_ROOMS = 64;

/** A private room joined blind, by keeper token: its hashed id, never its name or key. */
export interface BlindTarget {
  room: RoomName;
  signal: string[];
  /** The keeper token it came from: the rendezvous id and the capability the handshake proof needs. */
  token: string;
}

export interface PeerOptions {
  help: boolean;
  /** Display name sent with messages. Default "shoal-peer". */
  name: string;
  /** One JSON object per line on stdout, stdin lines sent as messages (bots). */
  json: boolean;
  /** Keeper data directory: identity, rooms and events persist there. Null: nothing touches the disk. */
  keep: string | null;
  /** Per room, events kept (oldest dropped first). Null: no limit. */
  maxEvents: number | null;
  passphraseFile: string | null;
  /** Largest file shared or fetched, bytes (`--max-file-mib`). Default DEFAULT_FILE_SWARM_OPTIONS' 2 GiB. */
  maxFileBytes: number;
  /** Bytes of files kept per room (`--file-quota-mib`). Default DEFAULT_FILE_SWARM_OPTIONS' 1 GiB. */
  fileQuotaBytes: number;
  rooms: RoomTarget[];
  blind: BlindTarget[];
}

const SPEC = {
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  json: { type: 'boolean' },
  keep: { type: 'string' },
  'max-events': { type: 'string' },
  'max-file-mib': { type: 'string' },
  'file-quota-mib': { type: 'string' },
  'passphrase-file': { type: 'string' },
  'keeper-token': { type: 'string', multiple: true },
  signal: { type: 'string' },
} as const;

/** Reads the command line (without `node` and the script). Pure: files are read later (resolve-options.ts). */
export function parseCliOptions(argv: readonly string[]): CliResult<PeerOptions> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof SPEC; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: SPEC, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return cliFail(/value|argument/i.test(message) && !/Unknown option/i.test(message) ? 'BAD_OPTION_VALUE' : 'UNKNOWN_OPTION', message);
  }
  const { values, positionals } = parsed;
  const base = {
    help: values.help === true,
    name: values.name ?? 'shoal-peer',
    json: values.json === true,
    keep: values.keep ?? null,
    passphraseFile: values['passphrase-file'] ?? null,
  };
  const defaultFiles = { maxFileBytes: DEFAULT_FILE_SWARM_OPTIONS.maxFileBytes, fileQuotaBytes: DEFAULT_FILE_SWARM_OPTIONS.roomQuotaBytes };
  if (base.help) return cliOk({ ...base, ...defaultFiles, maxEvents: null, rooms: [], blind: [] });
  const maxFileBytes = mebibytes(values['max-file-mib'], defaultFiles.maxFileBytes);
  const fileQuotaBytes = mebibytes(values['file-quota-mib'], defaultFiles.fileQuotaBytes);
  if (maxFileBytes === undefined) return cliFail('BAD_OPTION_VALUE', `--max-file-mib must be a whole number from 1 to ${MAX_FILE_MIB}`);
  if (fileQuotaBytes === undefined) return cliFail('BAD_OPTION_VALUE', `--file-quota-mib must be a whole number from 1 to ${MAX_FILE_MIB}`);
  if (base.name.length === 0 || base.name.length > MAX_NAME_CHARS) {
    return cliFail('BAD_OPTION_VALUE', `--name must be 1 to ${MAX_NAME_CHARS} characters`);
  }
  if (base.keep === '') return cliFail('KEEP_DIR', '--keep needs a directory');

  const maxEvents = values['max-events'] === undefined ? null : wholeNumber(values['max-events']);
  if (maxEvents === undefined) return cliFail('BAD_OPTION_VALUE', `--max-events must be a whole number from 1 to ${MAX_RETAINED_EVENTS}`);

  let override: string[] | null = null;
  if (values.signal !== undefined) {
    override = parseSignalList(values.signal);
    if (override.length === 0) return cliFail('BAD_SIGNAL', '--signal takes a comma-separated list of ws:// or wss:// URLs');
  }

  const tokens = values['keeper-token'] ?? [];
  if (tokens.length > 0) return blindOptions({ ...base, maxEvents, maxFileBytes, fileQuotaBytes }, tokens, positionals, override);

  // A keeper named without rooms resumes the rooms it kept (kept-rooms.ts); anyone else must name one.
  if (positionals.length === 0 && base.keep === null) return cliFail('NO_ROOM', 'name a room link, e.g. shoal-peer https://host/#room (see --help)');
  if (positionals.length > 1 && base.keep === null) {
    return cliFail('TOO_MANY_ROOMS', 'several rooms at once need --keep DIR (a keeper); a chat session joins one room');
  }
  if (positionals.length > MAX_ROOMS) return cliFail('TOO_MANY_ROOMS', `at most ${MAX_ROOMS} rooms per process`);
  const rooms: RoomTarget[] = [];
  for (const link of positionals) {
    const target = roomTarget(link, override);
    if (!target.ok) return target;
    if (target.value.private && base.passphraseFile === null) {
      return cliFail('NEEDS_PASSPHRASE', `${link} is a private room: pass --passphrase-file FILE (or a keeper token to keep it blind)`);
    }
    rooms.push(target.value);
  }
  return cliOk({ ...base, maxEvents, maxFileBytes, fileQuotaBytes, rooms, blind: [] });
}

function blindOptions(
  base: Omit<PeerOptions, 'rooms' | 'blind' | 'help'> & { help: boolean },
  tokens: string[],
  positionals: string[],
  override: string[] | null,
): CliResult<PeerOptions> {
  if (base.keep === null) return cliFail('TOKEN_NEEDS_KEEP', '--keeper-token makes a keeper: add --keep DIR');
  if (positionals.length > 1) return cliFail('TOO_MANY_ROOMS', 'with --keeper-token, name one server URL (the room comes from the token)');
  if (tokens.length > MAX_ROOMS) return cliFail('TOO_MANY_ROOMS', `at most ${MAX_ROOMS} rooms per process`);
  const server = positionals[0];
  if (server === undefined && override === null) return cliFail('NO_ROOM', 'name the server: shoal-peer --keeper-token TOKEN --keep DIR https://host/');
  const signal = server === undefined ? cliOk(override ?? []) : serverSignal(server, override);
  if (!signal.ok) return signal;
  const blind: BlindTarget[] = [];
  for (const token of tokens) {
    const decoded = decodeKeeperToken(token);
    if (!decoded.ok) return cliFail('BAD_KEEPER_TOKEN', decoded.error.message);
    blind.push({ room: decoded.value.room, signal: signal.value, token: token.trim() });
  }
  return cliOk({ ...base, rooms: [], blind });
}

/** Largest `--max-file-mib` / `--file-quota-mib`: 1 TiB. */
export const MAX_FILE_MIB = 1024 * 1024;

/** A size given in MiB as bytes; `fallback` when not given, undefined when not a whole number in 1..MAX_FILE_MIB. */
function mebibytes(text: string | undefined, fallback: number): number | undefined {
  if (text === undefined) return fallback;
  if (!/^\d{1,7}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= MAX_FILE_MIB ? value * 1024 * 1024 : undefined;
}

function wholeNumber(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value >= 1 && value <= MAX_RETAINED_EVENTS ? value : undefined;
}
