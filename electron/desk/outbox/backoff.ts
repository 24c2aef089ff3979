// When to try a command again after the server could not be reached: doubling delays up to a cap, with
// some jitter so that the desks of a whole office do not all come back at the same instant after an outage.

export interface BackoffPolicy {
  /** The delay after the first failed attempt. */
  baseMs: number;
  /** Delays stop growing here (give or take the jitter): the pace of retries during a long outage. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/** The delay before attempt `attempts + 1`, given `attempts` failed ones; `random` in [0, 1). */
export function retryDelayMs(policy: BackoffPolicy, attempts: number, random: () => number): number {
  const doublings = Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** doublings);
  return Math.round(delay * (0.8 + 0.4 * random()));
}
