import type { Log } from './log';

/**
 * A log line per reason at most once per `intervalMs`: a flood of refused sockets must not become a
 * flood of log lines (disk and CPU are what the attacker is after). The line says how many events
 * it stands for.
 */
export interface LogLimiter {
  warn(reason: string, fields: object, msg: string): void;
}

/** Default interval between two log lines of one reason, ms. */
export const LOG_INTERVAL_MS = 10_000;

export function createLogLimiter(log: Log, now: () => number, intervalMs = LOG_INTERVAL_MS): LogLimiter {
  const last = new Map<string, { at: number; suppressed: number }>();
  return {
    warn(reason, fields, msg) {
      const t = now();
      const entry = last.get(reason);
      if (entry && t - entry.at < intervalMs) {
        entry.suppressed++;
        return;
      }
      log.warn({ ...fields, reason, suppressed: entry?.suppressed ?? 0 }, msg);
      last.set(reason, { at: t, suppressed: 0 });
    },
  };
}
