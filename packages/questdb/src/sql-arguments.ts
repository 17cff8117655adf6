import { questdbErrors } from './questdb-errors';

const STEP = /^(\d{1,6})(s|m|h|d)$/;
const STEP_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A SAMPLE BY step ("30s", "1m", "15m", "1h", "1d"). SAMPLE BY cannot take a bind variable, so
 * the step is checked against a strict pattern before it becomes SQL text. Returns its length (ms).
 */
export function sampleStepMs(step: string): number {
  const m = STEP.exec(step);
  if (!m || Number(m[1]) === 0) {
    throw questdbErrors.YJ_ERR_QUESTDB_BAD_ARGUMENT(
      `invalid step "${step}" (expected e.g. 30s, 1m, 15m, 1h, 1d)`,
    );
  }
  return Number(m[1]) * (STEP_MS[m[2]!] ?? 0);
}

/** A [from, to) range in epoch ms, checked; returned as ISO strings for bind variables. */
export function timeRange(fromMs: number, toMs: number): { from: string; to: string } {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs >= toMs) {
    throw questdbErrors.YJ_ERR_QUESTDB_BAD_ARGUMENT(`invalid time range [${fromMs}, ${toMs})`);
  }
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/** A LIMIT value (bound as a parameter is not allowed everywhere, so it is clamped and inlined). */
export function rowLimit(limit: number | undefined, max = 10_000, fallback = 1_000): number {
  const n = limit ?? fallback;
  if (!Number.isInteger(n) || n < 1)
    throw questdbErrors.YJ_ERR_QUESTDB_BAD_ARGUMENT(`invalid limit ${limit}`);
  return Math.min(n, max);
}
