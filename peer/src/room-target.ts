import { type RoomName, parseRoute } from '@shoal/shared';
import { parseSignalList, signalUrls } from '@shoal/shared/link';
import { type CliResult, cliFail, cliOk } from './cli-error';

/** A room to join, read from a link the way the browser reads its location. */
export interface RoomTarget {
  room: RoomName;
  private: boolean;
  /** Signal servers to try, in order. */
  signal: string[];
  /** The link as given (shown back to the user; never holds a passphrase). */
  link: string;
}

/**
 * `http(s)://host/path?signal=…#room` (or `#p/room` for a private room): the room from the hash, the
 * signal servers from `?signal=` or else the link's own origin, exactly as web/src/room/open-room.ts does.
 * `override` (from `--signal`) wins over both.
 */
export function roomTarget(link: string, override: string[] | null): CliResult<RoomTarget> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return cliFail('BAD_ROOM_LINK', `"${link.slice(0, 120)}" is not a room link (expected http(s)://host/#room)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return cliFail('BAD_ROOM_LINK', `a room link starts with http:// or https://, not ${url.protocol}`);
  }
  const route = parseRoute(url.hash);
  if (route.kind !== 'room') {
    return cliFail('BAD_ROOM_LINK', route.error ?? `"${link.slice(0, 120)}" names no room: add #room-name`);
  }
  return cliOk({ room: route.room, private: route.private, signal: override ?? signalUrls(url), link });
}

/**
 * The signal servers of a bare server URL (`--keeper-token` joins by room id, so no hash): ws/wss as
 * given, http/https turned into ws/wss at the same host.
 */
export function serverSignal(server: string, override: string[] | null): CliResult<string[]> {
  if (override) return cliOk(override);
  const direct = parseSignalList(server);
  if (direct.length > 0) return cliOk(direct);
  try {
    const url = new URL(server);
    if (url.protocol === 'http:' || url.protocol === 'https:') return cliOk(signalUrls(url));
  } catch {
    // reported below
  }
  return cliFail('BAD_SIGNAL', `"${server.slice(0, 120)}" is not a server URL (http(s):// or ws(s)://)`);
}
