import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../src/retry-backoff';

describe('backoffDelayMs', () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  it.each([
    [1, 500, 1000],
    [2, 1000, 2000],
    [3, 2000, 4000],
    [4, 4000, 8000],
    [10, 30_000, 60_000],
  ])('after %i failed attempts it waits between %i and %i ms', (n, lo, hi) => {
    expect(backoffDelayMs(n, { ...opts, random: () => 0 })).toBe(lo);
    expect(backoffDelayMs(n, { ...opts, random: () => 1 })).toBe(hi);
    const mid = backoffDelayMs(n, { ...opts, random: () => 0.5 });
    expect(mid).toBeGreaterThan(lo);
    expect(mid).toBeLessThan(hi);
  });

  it('spreads concurrent retries with jitter', () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3, { ...opts, random })));
    expect(delays.size).toBeGreaterThan(10);
  });

  it('does not overflow for huge attempt counts', () => {
    expect(backoffDelayMs(500, { ...opts, random: () => 1 })).toBe(60_000);
  });
});
