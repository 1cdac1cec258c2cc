import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RoomNameSchema,
  createRoomKeyProof,
  createSignatureVerifier,
  decodeKeeperToken,
  deriveRoomKey,
  fromBase64url,
  plainCodec,
  roomKeyCodec,
} from '@shoal/shared';
import * as v from 'valibot';
import { type CliResult, cliFail, cliOk } from './cli-error';
import { type PeerOptions, parseCliOptions } from './cli-options';
import { ephemeralIdentityKey, loadOrCreateIdentityKey } from './identity-file';
import { keptRoomsOf, rememberRooms } from './kept-rooms';
import { type JoinRoomDeps, type JoinedRoom, joinRoom } from './join-room';
import { nodeClock } from './node-clock';
import { readPassphraseFile } from './passphrase-file';
import type { PeerEvent } from './peer-events';
import { openSqliteHistory } from './sqlite-history';
import { openSqliteChunkStores } from './sqlite-chunk-store';

/** The keeper's database file inside --keep DIR. */
export const DATABASE_FILE = 'shoal.db';
/** The keeper's file chunks inside --keep DIR (see sqlite-chunk-store.ts for why a database of its own). */
export const FILES_DATABASE_FILE = 'files.db';

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
      blind = kept.value.flatMap((k) => (k.blind && k.token !== undefined ? [{ room: k.room, signal: k.signal, token: k.token }] : []));
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
  let chunks;
  try {
    chunks = openSqliteChunkStores(options.keep === null ? ':memory:' : join(options.keep, FILES_DATABASE_FILE));
  } catch (error) {
    store.close();
    return cliFail('KEEP_DIR', `cannot open the file store in ${options.keep}: ${String(error)}`);
  }
  const fileOptions = { maxFileBytes: options.maxFileBytes, roomQuotaBytes: options.fileQuotaBytes };
  const verifier = createSignatureVerifier();
  const clock = nodeClock();
  const targets: Array<Pick<JoinRoomDeps, 'room' | 'signalRoom' | 'signal' | 'codec' | 'roomProofs'>> = [];
  for (const target of rooms) {
    if (!target.private) {
      targets.push({ room: target.room, signalRoom: target.room, signal: target.signal, codec: plainCodec, roomProofs: [] });
      continue;
    }
    // Private: the server, the mesh and the disk see only derived ids and ciphertext, as in the browser.
    const key = await deriveRoomKey(target.room, passphrase ?? '');
    targets.push({
      room: v.parse(RoomNameSchema, key.roomId), signalRoom: v.parse(RoomNameSchema, key.rendezvousId), signal: target.signal,
      codec: roomKeyCodec(key), roomProofs: [key.proof],
    });
  }
  for (const target of blind) {
    const token = decodeKeeperToken(target.token);
    if (!token.ok) return cliFail('BAD_KEEPER_TOKEN', token.error.message);
    // The capability proves the room in the handshake exactly as members do; it cannot decrypt.
    const capability = fromBase64url(token.value.cap);
    if (!capability) return cliFail('BAD_KEEPER_TOKEN', 'the keeper token\'s capability is damaged');
    targets.push({
      room: token.value.room, signalRoom: token.value.rendezvous, signal: target.signal, codec: null,
      roomProofs: [await createRoomKeyProof(capability, token.value.room)],
    });
  }

  const joined: JoinedRoom[] = [];
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const room of joined) room.close();
    store.close();
    chunks.close();
  };
  try {
    for (const target of targets) {
      const files = { store: chunks.forRoom(target.room), options: fileOptions, keepAll: options.keep !== null };
      joined.push(await joinRoom({ ...target, name: options.name, keyPair, store, verifier, clock, emit, files }));
    }
  } catch (error) {
    stop();
    throw error;
  }
  return cliOk({ rooms: joined, stop });
}
