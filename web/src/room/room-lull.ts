import type { Clock } from '@shoal/shared';
import { browserClock } from './browser-clock';

/**
 * Deferrable background work (installing the offline shell) waits for a lull in the room: it costs
 * every process of the browser CPU, and on a busy machine it ran in the middle of a forming room or a
 * conversation, where it slowed links and message display (issue 14: a quarter of the browser's CPU per
 * message of bench:mesh's chat).
 */
export interface RoomLull {
  /** The room did something a person waits on (a link opened or closed, a message arrived or left). */
  busy(): void;
  /**
   * Runs `job` once nothing was busy for `quietMs`, counted from now at the earliest, and after
   * `latestMs` whatever happens: a room that never pauses still gets it.
   */
  whenQuiet(job: () => void): void;
}

export interface RoomLullOptions {
  quietMs: number;
  latestMs: number;
}

export function createRoomLull(clock: Pick<Clock, 'now' | 'setTimeout'>, { quietMs, latestMs }: RoomLullOptions): RoomLull {
  let lastBusy = Number.NEGATIVE_INFINITY;
  return {
    busy() {
      lastBusy = clock.now();
    },
    whenQuiet(job) {
      const deadline = clock.now() + latestMs;
      // Re-armed from the last busy moment when it fires, rather than reset on every busy() call (a
      // chat's every message).
      const check = () => {
        const now = clock.now();
        const quietAt = lastBusy + quietMs;
        if (quietAt <= now || now >= deadline) job();
        else clock.setTimeout(check, Math.min(quietAt, deadline) - now);
      };
      clock.setTimeout(check, quietMs);
    },
  };
}

const QUIET_MS = 5_000;
const LATEST_MS = 60_000;

/** The page's lull: the room code reports activity, the page's background work waits on it. */
export const roomLull: RoomLull = createRoomLull(browserClock(), { quietMs: QUIET_MS, latestMs: LATEST_MS });
