/** A rate: tokens added per second, and the most a bucket holds (the burst allowed after quiet). */
export interface BucketRate {
  perSecond: number;
  burst: number;
}

/**
 * A token bucket over an injected clock: starts full, refills continuously at `perSecond` up to
 * `burst`. Taking never goes below zero, so a refused request costs nothing and a sender over budget
 * gets through again as soon as the bucket refills (not after a penalty).
 */
export interface TokenBucket {
  /** Takes `n` tokens if that many are there; false (and nothing taken) otherwise. */
  take(n?: number): boolean;
  /** Tokens held now. */
  level(): number;
  /** When (clock ms) `n` tokens will be there at the earliest; now if they already are. */
  readyAt(n?: number): number;
}

export function createTokenBucket(rate: BucketRate, now: () => number): TokenBucket {
  let tokens = rate.burst;
  let at = now();
  const refill = (): number => {
    const t = now();
    // A clock that steps back (wall clock adjusted) must not mint tokens or drain them.
    if (t > at) tokens = Math.min(rate.burst, tokens + ((t - at) / 1000) * rate.perSecond);
    at = Math.max(at, t);
    return tokens;
  };
  return {
    take(n = 1) {
      if (refill() < n) return false;
      tokens -= n;
      return true;
    },
    level: refill,
    readyAt(n = 1) {
      const missing = Math.min(n, rate.burst) - refill();
      if (missing <= 0) return at;
      return rate.perSecond > 0 ? at + Math.ceil((missing / rate.perSecond) * 1000) : Infinity;
    },
  };
}
