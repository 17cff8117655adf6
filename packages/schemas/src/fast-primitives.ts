import { IsoDateTime, LOCAL_ID_MAX_LENGTH, LOCAL_ID_PATTERN } from './primitives';

/**
 * Exact predicates for the primitives of `primitives.ts`, for the hand-written parsers of
 * `fast-parsers.ts`. Each one is true only for values the zod primitive accepts unchanged
 * (these primitives never transform a value); the property tests compare them with zod.
 */

/** A plain value zod's object schemas accept as an object: not null, not an array. */
export function isObjectLike(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `LocalId`: 1–64 characters of LOCAL_ID_PATTERN (ASCII, so `.length` counts code points). */
export function isLocalId(x: unknown): x is string {
  return typeof x === 'string' && x.length <= LOCAL_ID_MAX_LENGTH && LOCAL_ID_PATTERN.test(x);
}

/** `z.string().min(1)`: a non-empty string has at least one code point. */
export function isNonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0;
}

/** `z.number()`: a number that is neither NaN nor ±Infinity. */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * `z.number().int().nonnegative()` (EpochMs, DurationMs, seq): zod 4's `.int()` is the safe-integer
 * format, and `nonnegative()` is `>= 0`, so -0 passes.
 */
export function isNonNegativeSafeInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** `Quality`. */
export function isQuality(x: unknown): x is 'good' | 'uncertain' | 'bad' {
  return x === 'good' || x === 'uncertain' || x === 'bad';
}

/**
 * The pattern zod itself tests for `IsoDateTime` (date-time with seconds and Z or ±hh:mm), read
 * from the schema so it cannot drift; undefined if zod ever stops exposing it, and ISO strings
 * then always fall back to zod.
 */
const ISO_DATE_TIME_PATTERN: RegExp | undefined = (() => {
  const def = (IsoDateTime as unknown as { _zod?: { def?: { pattern?: unknown; checks?: unknown[] } } })._zod
    ?.def;
  const pattern = def?.pattern;
  const onlyFormat = def?.checks === undefined || def.checks.length === 0;
  return pattern instanceof RegExp && !pattern.global && !pattern.sticky && onlyFormat ? pattern : undefined;
})();

/** `Timestamp`: epoch ms, or an ISO-8601 date-time string with offset. */
export function isTimestamp(x: unknown): x is string | number {
  if (typeof x === 'number') return Number.isSafeInteger(x) && x >= 0;
  return typeof x === 'string' && ISO_DATE_TIME_PATTERN !== undefined && ISO_DATE_TIME_PATTERN.test(x);
}
