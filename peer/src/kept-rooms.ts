import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_KEEPER_TOKEN_CHARS, RoomNameSchema } from '@shoal/shared';
import { MAX_SIGNAL_URLS } from '@shoal/shared/link';
import * as v from 'valibot';
import { type CliResult, cliFail, cliOk } from './cli-error';
import type { BlindTarget } from './cli-options';
import { parseJsonAs, writePrivateFile } from './private-file';
import type { RoomTarget } from './room-target';

/** File in the keeper directory listing the rooms it keeps, so `shoal-peer --keep DIR` alone resumes them. */
export const ROOMS_FILE = 'rooms.json';
/** Most rooms remembered (as many as one process joins). */
export const MAX_KEPT_ROOMS = 64;

const KeptRoomSchema = v.strictObject({
  room: RoomNameSchema,
  /** A blind room's id (from a keeper token); public rooms by name. Passphrase rooms are never listed. */
  blind: v.boolean(),
  /** A blind room's keeper token (rendezvous id and capability: enough to join and prove, not to read). */
  token: v.optional(v.pipe(v.string(), v.maxLength(MAX_KEEPER_TOKEN_CHARS))),
  signal: v.pipe(v.array(v.pipe(v.string(), v.maxLength(2048))), v.maxLength(MAX_SIGNAL_URLS)),
});
const KeptRoomsSchema = v.pipe(v.array(KeptRoomSchema), v.maxLength(MAX_KEPT_ROOMS));
export type KeptRoom = v.InferOutput<typeof KeptRoomSchema>;

/**
 * The rooms a keeper resumes. Private rooms joined with a passphrase are left out on purpose: resuming
 * them would need the room's name and passphrase on disk, which a keeper never stores (keep those
 * blind, by keeper token, to have them resumed).
 */
export function keptRoomsOf(rooms: readonly RoomTarget[], blind: readonly BlindTarget[]): KeptRoom[] {
  return [
    ...rooms.filter((target) => !target.private).map((target) => ({ room: target.room, blind: false, signal: target.signal })),
    ...blind.map((target) => ({ room: target.room, blind: true, signal: target.signal, token: target.token })),
  ];
}

export async function loadKeptRooms(dir: string): Promise<CliResult<KeptRoom[]>> {
  let text: string;
  try {
    text = await readFile(join(dir, ROOMS_FILE), 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return cliOk([]);
    return cliFail('KEEP_DIR', `cannot read ${join(dir, ROOMS_FILE)}: ${String(error)}`);
  }
  const parsed = parseJsonAs(text, KeptRoomsSchema);
  return parsed ? cliOk(parsed) : cliFail('KEEP_DIR', `${join(dir, ROOMS_FILE)} is not a list of kept rooms`);
}

/** Adds rooms to the list (same room: the newest signal servers win), atomically (temporary file + rename). */
export async function rememberRooms(dir: string, rooms: readonly KeptRoom[]): Promise<CliResult<KeptRoom[]>> {
  const loaded = await loadKeptRooms(dir);
  if (!loaded.ok) return loaded;
  const merged = new Map(loaded.value.map((kept) => [kept.room, kept]));
  for (const kept of rooms) merged.set(kept.room, kept);
  const list = [...merged.values()].slice(-MAX_KEPT_ROOMS);
  const path = join(dir, ROOMS_FILE);
  try {
    await writePrivateFile(path, JSON.stringify(list, null, 2));
  } catch (error) {
    return cliFail('KEEP_DIR', `cannot write ${path}: ${String(error)}`);
  }
  return cliOk(list);
}
