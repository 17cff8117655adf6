import { describe, expect, it } from 'vitest';
import {
  fastNativeReading,
  fastParserFor,
  fastReadingBatch,
  GatewayEvent,
  isTimestamp,
  NativeReading,
  ReadingBatch,
  Timestamp,
} from '../src/index';
import { checkFastParserContract, generatedInputs } from './fast-parser-contract';
import {
  isoDateTime,
  NOT_OBJECTS,
  nativeReading,
  ODD_VALUES,
  oddValue,
  readingBatch,
  seededRandom,
} from './telemetry-arbitraries';

const CASES = 4000;

describe('fastReadingBatch', () => {
  it('takes the fast path for every valid generated batch, with zod’s exact output', () => {
    const tally = checkFastParserContract(
      ReadingBatch,
      fastReadingBatch,
      generatedInputs(1, CASES, readingBatch, false),
    );
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.zodAccepted).toBe(2 * CASES);
    expect(tally.fastAccepted).toBe(tally.zodAccepted);
  });

  it('accepts nothing zod rejects, over thousands of mutated batches', () => {
    const tally = checkFastParserContract(
      ReadingBatch,
      fastReadingBatch,
      generatedInputs(2, CASES, readingBatch, true),
    );
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    // the mutations reach both sides of the contract, or the test would prove little
    expect(tally.zodRejected).toBeGreaterThan(CASES / 2);
    expect(tally.fastAccepted).toBeGreaterThan(CASES / 10);
  });

  it('rejects non-objects and strips unknown keys at both levels', () => {
    expect(checkFastParserContract(ReadingBatch, fastReadingBatch, NOT_OBJECTS).fastAccepted).toBe(0);
    const rnd = seededRandom(3);
    const batch = readingBatch(rnd) as { readings: Array<Record<string, unknown>> } & Record<string, unknown>;
    const withExtras = { ...batch, extra: 1, readings: batch.readings.map((r) => ({ ...r, unit: 'ppm' })) };
    expect(fastReadingBatch(withExtras)).toStrictEqual(ReadingBatch.parse(withExtras));
    expect(fastReadingBatch(withExtras)).not.toHaveProperty('extra');
    expect(fastReadingBatch(withExtras)?.readings[0]).not.toHaveProperty('unit');
  });

  it.each([
    ['an empty readings array', { readings: [] }],
    ['version 2', { v: 2 }],
    ['version "1"', { v: '1' }],
    ['a fractional seq', { seq: 1.5 }],
    ['a seq past the safe integers', { seq: 2 ** 53 }],
    ['a negative receivedAt', { receivedAt: -1 }],
    ['an unknown source', { source: 'ftp' }],
    ['an empty enterpriseId', { enterpriseId: '' }],
    ['an ISO sentAt (batches carry epoch ms)', { sentAt: '2026-11-28T10:00:00Z' }],
  ])('leaves %s to zod, which rejects it', (_what, over) => {
    const input = { ...(readingBatch(seededRandom(4)) as object), ...over };
    expect(fastReadingBatch(input)).toBeUndefined();
    expect(ReadingBatch.safeParse(input).success).toBe(false);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '1'],
    ['null', null],
  ])('rejects a reading value of %s', (_what, v) => {
    const batch = readingBatch(seededRandom(5)) as { readings: Array<Record<string, unknown>> };
    const input = { ...batch, readings: [...batch.readings, { ...batch.readings[0], v }] };
    expect(fastReadingBatch(input)).toBeUndefined();
  });

  it('keeps -0 as zod does', () => {
    const batch = readingBatch(seededRandom(6)) as { readings: Array<Record<string, unknown>> };
    const input = { ...batch, seq: -0, readings: [{ ...batch.readings[0], v: -0, ts: -0 }] };
    const fast = fastReadingBatch(input);
    expect(fast).toBeDefined();
    expect(Object.is(fast?.seq, -0) && Object.is(fast?.readings[0]?.v, -0)).toBe(true);
    expect(fast).toStrictEqual(ReadingBatch.parse(input));
  });
});

describe('fastNativeReading', () => {
  it('takes the fast path for every valid generated reading, with zod’s exact output', () => {
    const tally = checkFastParserContract(
      NativeReading,
      fastNativeReading,
      generatedInputs(7, CASES, nativeReading, false),
    );
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    // generated ISO timestamps are sometimes out of range; every one zod accepts is taken fast
    expect(tally.fastAccepted).toBe(tally.zodAccepted);
    expect(tally.zodAccepted).toBeGreaterThan(CASES);
  });

  it('accepts nothing zod rejects, over thousands of mutated readings', () => {
    const tally = checkFastParserContract(
      NativeReading,
      fastNativeReading,
      generatedInputs(8, CASES, nativeReading, true),
    );
    expect(tally.mismatches.slice(0, 3)).toEqual([]);
    expect(tally.zodRejected).toBeGreaterThan(CASES / 2);
    expect(tally.fastAccepted).toBeGreaterThan(CASES / 10);
  });

  it("defaults an absent q to 'good' and keeps ISO timestamps as strings", () => {
    const input = { point: 'CO-BF1-003', ts: '2026-11-28T10:00:00+08:00', v: 23.5 };
    expect(fastNativeReading(input)).toStrictEqual({ ...input, q: 'good' });
    expect(fastNativeReading(input)).toStrictEqual(NativeReading.parse(input));
  });

  it('rejects non-objects', () => {
    expect(checkFastParserContract(NativeReading, fastNativeReading, NOT_OBJECTS).fastAccepted).toBe(0);
  });
});

describe('isTimestamp', () => {
  it('agrees with zod’s Timestamp on generated ISO strings and odd values', () => {
    const rnd = seededRandom(9);
    const inputs = [
      ...ODD_VALUES,
      ...Array.from({ length: CASES }, () => isoDateTime(rnd)),
      ...Array.from({ length: 500 }, () => oddValue(rnd)),
    ];
    const disagreements = inputs.filter((x) => isTimestamp(x) !== Timestamp.safeParse(x).success);
    expect(disagreements.slice(0, 5)).toEqual([]);
  });
});

describe('fastParserFor', () => {
  it('finds the parsers of the registered schema objects and nothing for others', () => {
    expect(fastParserFor(ReadingBatch)).toBe(fastReadingBatch);
    expect(fastParserFor(NativeReading)).toBe(fastNativeReading);
    expect(fastParserFor(GatewayEvent)).toBeUndefined();
    expect(fastParserFor(ReadingBatch.describe('a copy'))).toBeUndefined();
  });
});

describe('fast parser outputs', () => {
  // A field added to a schema but not to its fast parser would be stripped silently: these fail first.
  it('carry exactly the keys of their schemas, in schema order', () => {
    const rnd = seededRandom(10);
    const batch = fastReadingBatch(readingBatch(rnd));
    expect(Object.keys(batch ?? {})).toEqual(Object.keys(ReadingBatch.shape));
    expect(Object.keys(batch?.readings[0] ?? {})).toEqual(
      Object.keys(ReadingBatch.shape.readings.element.shape),
    );
    expect(Object.keys(fastNativeReading({ point: 'P1', ts: 1, v: 0 }) ?? {})).toEqual(
      Object.keys(NativeReading.shape),
    );
  });
});
