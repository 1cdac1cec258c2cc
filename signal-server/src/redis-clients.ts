import { Redis } from 'ioredis';

/** First reconnect delay after Redis goes away, ms; doubled per attempt up to RECONNECT_MAX_MS. */
export const RECONNECT_BASE_MS = 50;
/** Longest wait between two reconnect attempts, ms. */
export const RECONNECT_MAX_MS = 2_000;
/** A Redis command without an answer after this long fails (and a join falls back to local), ms. */
export const COMMAND_TIMEOUT_MS = 2_000;

/**
 * The two connections of a Redis room bus: commands, and subscriptions (a subscribed connection takes
 * no other commands). Both reconnect by themselves with backoff, for ever.
 */
export function createRedisClients(url: string, processId: string): { cmd: Redis; sub: Redis } {
  const options = {
    // Commands fail at once while disconnected instead of queueing: the relay path must not pile up,
    // and a join falls back to local rooms rather than wait.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Subscriptions are the bus's to restore on 'ready': ioredis would forget those that failed offline.
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => Math.min(RECONNECT_BASE_MS * 2 ** Math.min(attempt - 1, 16), RECONNECT_MAX_MS),
  };
  return {
    // Auto-pipelining writes every command of one event-loop turn in one go (fewer syscalls both sides).
    cmd: new Redis(url, { ...options, enableAutoPipelining: true, connectionName: `shoal-${processId}` }),
    sub: new Redis(url, { ...options, connectionName: `shoal-sub-${processId}` }),
  };
}
