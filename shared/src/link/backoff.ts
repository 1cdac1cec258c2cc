export interface BackoffOptions {
  /** Delay before the first retry, ms. Default 500. */
  baseMs: number;
  /** Upper bound of any delay, ms, so a long outage still retries regularly. Default 15,000. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000 };

/**
 * Delay before retry number `attempt` (0-based): exponential, capped, with "full jitter" (a uniform
 * draw in [cap/2, cap]) so that many tabs dropped by one server restart do not reconnect in lockstep.
 * `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}
