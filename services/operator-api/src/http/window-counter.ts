/**
 * Fixed-window counters in memory, bounded in keys (the oldest windows are forgotten first), for
 * limits that must work without Redis: failed authentications per IP, and the API rate limit while
 * Redis is unreachable.
 */
export class WindowCounter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; returns the count in the current window and the ms until it ends. */
  hit(key: string): { current: number; ttl: number } {
    const now = this.now();
    let w = this.#windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.#windows.delete(key);
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
      if (this.#windows.size > this.maxKeys)
        this.#windows.delete(this.#windows.keys().next().value as string);
    }
    w.count += 1;
    return { current: w.count, ttl: w.start + this.windowMs - now };
  }
}
