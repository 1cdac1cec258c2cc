import { type RoomEvent, type RoomName, toRoomEvent } from '@shoal/shared';
import * as v from 'valibot';
import type { ChatHistory } from './history';

/**
 * A room's history as a file: JSON Lines, a header line then one stored event per line, exactly as
 * signed (ciphertext in private rooms). Importing verifies every event again: a file is as untrusted as
 * a peer.
 */
export const HISTORY_FILE_FORMAT = 'shoal-history';
export const HISTORY_FILE_VERSION = 1;
/** Largest file read for import, bytes (about 200,000 full-size events). */
export const MAX_HISTORY_FILE_BYTES = 256 * 1024 * 1024;
/** Events read per page while exporting. */
const EXPORT_PAGE = 1_000;

const HeaderSchema = v.object({
  format: v.literal(HISTORY_FILE_FORMAT),
  version: v.literal(HISTORY_FILE_VERSION),
  room: v.string(),
});

export type HistoryFileError = 'TOO_LARGE' | 'NOT_A_HISTORY_FILE' | 'OTHER_ROOM';

export type ParsedHistoryFile =
  | { ok: true; events: RoomEvent[]; unreadable: number }
  | { ok: false; code: HistoryFileError; message: string };

/** The lines of an export of `room`, oldest event first (header first). */
export async function exportHistory(history: Pick<ChatHistory, 'recent' | 'before'>, room: RoomName, now: number): Promise<string[]> {
  const pages: RoomEvent[][] = [];
  let page = await history.recent(room, EXPORT_PAGE);
  while (page.length > 0) {
    pages.unshift(page);
    const first = page[0];
    if (!first || page.length < EXPORT_PAGE) break;
    page = await history.before(room, { lamport: first.lamport, id: first.id }, EXPORT_PAGE);
  }
  const header = JSON.stringify({ format: HISTORY_FILE_FORMAT, version: HISTORY_FILE_VERSION, room, exportedAt: now });
  return [header, ...pages.flat().map((event) => JSON.stringify(event))].map((line) => `${line}\n`);
}

/** Reads an export; lines that are not events are counted, never thrown. */
export function parseHistoryFile(text: string, room: RoomName): ParsedHistoryFile {
  if (text.length > MAX_HISTORY_FILE_BYTES) return { ok: false, code: 'TOO_LARGE', message: 'the file is larger than an export can be' };
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = v.safeParse(HeaderSchema, parseLine(lines[0] ?? ''));
  if (!header.success) return { ok: false, code: 'NOT_A_HISTORY_FILE', message: 'this is not a Shoal history export' };
  if (header.output.room !== room) return { ok: false, code: 'OTHER_ROOM', message: 'this export belongs to another room' };
  const events: RoomEvent[] = [];
  let unreadable = 0;
  for (const line of lines.slice(1)) {
    const event = toRoomEvent(parseLine(line));
    if (event) events.push(event);
    else unreadable++;
  }
  return { ok: true, events, unreadable };
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
