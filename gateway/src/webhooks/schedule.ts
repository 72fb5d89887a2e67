const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/**
 * Svix's retry schedule: the first attempt immediately, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h (8 attempts over about 27.5 hours). `retryDelays[n - 1]` is the wait after the n-th failed attempt.
 */
export const retryDelays = [5 * second, 5 * minute, 30 * minute, 2 * hour, 5 * hour, 10 * hour, 10 * hour] as const;

export const maxAttempts = retryDelays.length + 1;

/** After this long failing without a single success, an endpoint is disabled and its partner told. */
export const disableAfterFailingMs = 5 * 24 * hour;

/** A receiver has this long to answer 2xx. */
export const attemptTimeoutMs = 15 * second;

/** When the attempt after `attempts` failed ones is due, or null when there is none left. */
export function nextAttemptAt(attempts: number, failedAt: Date): Date | null {
  const delay = retryDelays[attempts - 1];
  return delay === undefined ? null : new Date(failedAt.getTime() + delay);
}
