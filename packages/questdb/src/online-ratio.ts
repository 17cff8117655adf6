/** One online/offline change of a gateway at `tsMs`. */
export interface OnlineChange {
  tsMs: number;
  online: boolean;
}

/**
 * Milliseconds a gateway was online within [fromMs, toMs), from its state before the period
 * (`initial`; undefined = never seen, counted as offline) and its changes, in any order.
 * Pure: the caller does the I/O.
 */
export function onlineMs(
  initial: boolean | undefined,
  changes: readonly OnlineChange[],
  fromMs: number,
  toMs: number,
): number {
  const sorted = changes.filter((c) => c.tsMs >= fromMs && c.tsMs < toMs).sort((a, b) => a.tsMs - b.tsMs);
  let state = initial ?? false;
  let since = fromMs;
  let total = 0;
  for (const change of sorted) {
    if (state) total += change.tsMs - since;
    state = change.online;
    since = change.tsMs;
  }
  if (state) total += toMs - since;
  return total;
}
