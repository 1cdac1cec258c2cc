import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type MessageCodec,
  type RoomName,
  RoomNameSchema,
  createSignatureVerifier,
  deriveRoomKey,
  plainCodec,
  roomKeyCodec,
} from '@shoal/shared';
import * as v from 'valibot';
import { type CliResult, cliFail, cliOk } from './cli-error';
import { type PeerOptions, parseCliOptions } from './cli-options';
import { ephemeralIdentityKey, loadOrCreateIdentityKey } from './identity-file';
import { keptRoomsOf, rememberRooms } from './kept-rooms';
import { type JoinedRoom, joinRoom } from './join-room';
import { nodeClock } from './node-clock';
import { readPassphraseFile } from './passphrase-file';
import type { PeerEvent } from './peer-events';
import { openSqliteHistory } from './sqlite-history';

/** The keeper's database file inside --keep DIR. */
export const DATABASE_FILE = 'shoal.db';

/** Options with the files they name already read: what startPeer needs. */
export interface ResolvedOptions {
  options: PeerOptions;
  passphrase: string | null;
}

/** The command line, parsed and checked, files read: every usage error surfaces here (exit 2). */
export async function resolveCli(argv: readonly string[]): Promise<CliResult<ResolvedOptions>> {
  const parsed = parseCliOptions(argv);
  if (!parsed.ok) return parsed;
  const options = parsed.value;
  if (options.passphraseFile === null) return cliOk({ options, passphrase: null });
  const passphrase = await readPassphraseFile(options.passphraseFile);
  return passphrase.ok ? cliOk({ options, passphrase: passphrase.value }) : passphrase;
}

export interface RunningPeer {
  rooms: JoinedRoom[];
  /** Leaves every room (closing every RTCPeerConnection), then closes the database. Idempotent. */
  stop(): void;
}

/**
 * Joins every room of the options with one identity and one history store. A keeper (`--keep`) keeps
 * both in DIR; otherwise the identity is fresh and history lives in memory for this run only.
 */
export async function startPeer(resolved: ResolvedOptions, emit: (event: PeerEvent) => void): Promise<CliResult<RunningPeer>> {
  const { options, passphrase } = resolved;
  let keyPair;
  let rooms = options.rooms;
  let blind = options.blind;
  if (options.keep !== null) {
    try {
      await mkdir(options.keep, { recursive: true, mode: 0o700 });
    } catch (error) {
      return cliFail('KEEP_DIR', `cannot create ${options.keep}: ${String(error)}`);
    }
    const loaded = await loadOrCreateIdentityKey(options.keep);
    if (!loaded.ok) return loaded;
    keyPair = loaded.value;
    const kept = await rememberRooms(options.keep, keptRoomsOf(rooms, blind));
    if (!kept.ok) return kept;
    if (rooms.length === 0 && blind.length === 0) {
      // Resuming: every remembered public room by name, every blind one by id.
      rooms = kept.value.filter((k) => !k.blind).map((k) => ({ room: k.room, private: false, signal: k.signal, link: k.room }));
      blind = kept.value.filter((k) => k.blind).map((k) => ({ room: k.room, signal: k.signal }));
      if (rooms.length === 0 && blind.length === 0) return cliFail('NO_ROOM', `${options.keep} keeps no rooms yet: name a room link`);
    }
  } else {
    keyPair = await ephemeralIdentityKey();
  }
  let store;
  try {
    store = openSqliteHistory(options.keep === null ? ':memory:' : join(options.keep, DATABASE_FILE), { maxEvents: options.maxEvents });
  } catch (error) {
    return cliFail('KEEP_DIR', `cannot open the database in ${options.keep}: ${String(error)}`);
  }
  const verifier = createSignatureVerifier();
  const clock = nodeClock();
  const targets: Array<{ room: RoomName; signal: string[]; codec: MessageCodec | null }> = [];
  for (const target of rooms) {
    if (!target.private) {
      targets.push({ room: target.room, signal: target.signal, codec: plainCodec });
      continue;
    }
    // Private: the server, the mesh and the disk see only the derived id and ciphertext, as in the browser.
    const key = await deriveRoomKey(target.room, passphrase ?? '');
    targets.push({ room: v.parse(RoomNameSchema, key.roomId), signal: target.signal, codec: roomKeyCodec(key) });
  }
  for (const target of blind) targets.push({ room: target.room, signal: target.signal, codec: null });

  const joined: JoinedRoom[] = [];
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const room of joined) room.close();
    store.close();
  };
  try {
    for (const target of targets) {
      joined.push(await joinRoom({ ...target, name: options.name, keyPair, store, verifier, clock, emit }));
    }
  } catch (error) {
    stop();
    throw error;
  }
  return cliOk({ rooms: joined, stop });
}
