export interface WaitForOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Poll interval (default 50 ms). */
  intervalMs?: number;
  /** Said in the error when the deadline passes: what we were waiting for. */
  message?: string;
}

/**
 * Polls `probe` until it returns a truthy value and resolves with it; rejects with `message`
 * (and the last error the probe threw, if any) when the deadline passes. The way tests wait
 * for a condition instead of sleeping.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error).message ?? String(lastError)})` : '';
      throw new Error(`waitFor: ${opts.message ?? 'condition'} not met within ${timeoutMs} ms${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
