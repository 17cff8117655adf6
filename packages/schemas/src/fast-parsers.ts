import type { z } from 'zod';
import {
  isFiniteNumber,
  isLocalId,
  isNonEmptyString,
  isNonNegativeSafeInt,
  isObjectLike,
  isQuality,
  isTimestamp,
} from './fast-primitives';
import { type IngestSource, NativeReading, type NormalisedReading, ReadingBatch } from './telemetry';

/**
 * Hand-written parsers for the hot-path contracts, so the common valid input skips zod. zod stays
 * the definition of what is valid and the source of every error: a fast parser returns a value
 * only when zod would accept the input and return a deep-equal value (unknown keys stripped, keys
 * in schema order, defaults applied); otherwise it returns undefined and the caller asks zod.
 * Property tests in test/fast-parsers.test.ts hold every parser to that contract.
 */
export type FastParser<T> = (input: unknown) => T | undefined;

function isIngestSource(x: unknown): x is IngestSource {
  return x === 'mqtt' || x === 'http' || x === 'kafka' || x === 'simulator';
}

/** `NativeReading` as the gateway sends it; an absent (undefined) `q` becomes 'good' as in zod. */
export const fastNativeReading: FastParser<NativeReading> = (x) => {
  if (!isObjectLike(x)) return undefined;
  const { point, ts, v, q } = x;
  if (!isLocalId(point) || !isTimestamp(ts) || !isFiniteNumber(v)) return undefined;
  if (q === undefined) return { point, ts, v, q: 'good' };
  return isQuality(q) ? { point, ts, v, q } : undefined;
};

function fastNormalisedReading(x: unknown): NormalisedReading | undefined {
  if (!isObjectLike(x)) return undefined;
  const { point, kind, ts, v, q } = x;
  if (!isLocalId(point) || !isNonEmptyString(kind) || !isNonNegativeSafeInt(ts) || !isFiniteNumber(v)) {
    return undefined;
  }
  if (!isQuality(q)) return undefined;
  return { point, kind, ts, v, q };
}

/** One `yj.readings.v1` record value. */
export const fastReadingBatch: FastParser<ReadingBatch> = (x) => {
  if (!isObjectLike(x)) return undefined;
  const { v, enterpriseId, gatewayId, seq, source, sentAt, receivedAt, readings } = x;
  if (v !== 1 || !isNonEmptyString(enterpriseId) || !isLocalId(gatewayId) || !isNonNegativeSafeInt(seq)) {
    return undefined;
  }
  if (!isIngestSource(source) || !isNonNegativeSafeInt(sentAt) || !isNonNegativeSafeInt(receivedAt)) {
    return undefined;
  }
  if (!Array.isArray(readings) || readings.length === 0) return undefined;
  const out: NormalisedReading[] = [];
  for (let i = 0; i < readings.length; i++) {
    const reading = fastNormalisedReading(readings[i]);
    if (reading === undefined) return undefined;
    out.push(reading);
  }
  return { v, enterpriseId, gatewayId, seq, source, sentAt, receivedAt, readings: out };
};

const FAST_PARSERS = new Map<z.ZodType, FastParser<unknown>>([
  [ReadingBatch, fastReadingBatch],
  [NativeReading, fastNativeReading],
]);

/**
 * The fast parser registered for this exact schema object (not a derived or described copy),
 * or undefined: callers then use the schema alone.
 */
export function fastParserFor<S extends z.ZodType>(schema: S): FastParser<z.output<S>> | undefined {
  return FAST_PARSERS.get(schema) as FastParser<z.output<S>> | undefined;
}
