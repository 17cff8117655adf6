/**
 * Retry back-off of webhook deliveries: exponential (base × 2^(n−1), capped), with "equal
 * jitter" — half fixed, half random — so retries of many deliveries spread out but never fire
 * immediately. Pure; the random source is injected for tests.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/** Delay before retry number `attemptsMade` (1 after the first failure). */
export function backoffDelayMs(attemptsMade: number, opts: BackoffOptions): number {
  const n = Math.max(1, attemptsMade);
  const exp = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.min(n - 1, 30));
  const half = exp / 2;
  return Math.round(half + (opts.random ?? Math.random)() * half);
}

/** Name of the custom BullMQ backoff type the delivery worker registers. */
export const DELIVERY_BACKOFF_TYPE = 'yj-exponential-jitter';
