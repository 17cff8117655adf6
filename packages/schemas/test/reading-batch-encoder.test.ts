import { describe, expect, it } from 'vitest';
import { encodeReadingBatch, NormalisedReading, ReadingBatch } from '../src/index';
import { pick, type Random, readingBatch, seededRandom } from './telemetry-arbitraries';

const CASES = 3000;

/** Characters JSON.stringify treats specially, and some it does not, to build free-form strings from. */
const AWKWARD_CHARS = [
  '"',
  '\\',
  '/',
  '\u0000',
  '\u0001',
  '\b',
  '\t',
  '\n',
  '\f',
  '\r',
  '\u001f',
  ' ',
  '\u007f',
  '\u0080',
  'é',
  '晋',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud83d\ude00', // a surrogate pair (😀): written as is
  '\ud800', // lone high surrogate: escaped
  '\udfff', // lone low surrogate: escaped
  'a',
  'Z',
  '0',
  '-',
];

function awkwardString(rnd: Random): string {
  const n = 1 + Math.floor(rnd() * 6);
  let s = '';
  for (let i = 0; i < n; i++) s += rnd() < 0.5 ? pick(rnd, AWKWARD_CHARS) : pick(rnd, ['x', 'ent-', '温度']);
  return s;
}

const EDGE_NUMBERS = [
  -0,
  0,
  1,
  1e21,
  1e-7,
  5e-324,
  Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 64,
  123456789012345680000,
  0.1 + 0.2,
  -1.5e-300,
];
const EDGE_INTS = [-0, 0, 1, 2 ** 53 - 1, 1_764_295_200_000];

/** A valid ReadingBatch input with free-form strings where the schema allows any, and edge numbers. */
function awkwardBatch(rnd: Random): unknown {
  const batch = readingBatch(rnd) as Record<string, unknown> & { readings: Array<Record<string, unknown>> };
  if (rnd() < 0.6) batch.enterpriseId = awkwardString(rnd);
  if (rnd() < 0.3) batch.seq = pick(rnd, EDGE_INTS);
  if (rnd() < 0.3) batch.sentAt = pick(rnd, EDGE_INTS);
  if (rnd() < 0.3) batch.receivedAt = pick(rnd, EDGE_INTS);
  for (const r of batch.readings) {
    if (rnd() < 0.4) r.kind = awkwardString(rnd);
    if (rnd() < 0.4) r.v = pick(rnd, EDGE_NUMBERS);
    if (rnd() < 0.2) r.ts = pick(rnd, EDGE_INTS);
  }
  return batch;
}

/** The first generated case whose bytes differ from JSON.stringify's, or undefined. */
function firstMismatch(seed: number, gen: (rnd: Random) => unknown) {
  const rnd = seededRandom(seed);
  for (let i = 0; i < CASES; i++) {
    const batch = ReadingBatch.parse(gen(rnd));
    const expected = Buffer.from(JSON.stringify(batch));
    const actual = encodeReadingBatch(batch);
    if (!actual.equals(expected))
      return { case: i, expected: expected.toString(), actual: actual.toString() };
  }
  return undefined;
}

describe('encodeReadingBatch', () => {
  it('writes the bytes of JSON.stringify for every generated valid batch', () => {
    expect(firstMismatch(11, readingBatch)).toBeUndefined();
  });

  it('writes the bytes of JSON.stringify with quotes, backslashes, control characters, unicode and lone surrogates in enterpriseId and kind, and edge numbers', () => {
    expect(firstMismatch(12, awkwardBatch)).toBeUndefined();
  });

  it.each([
    ['a quote', 'a"b'],
    ['a backslash', 'a\\b'],
    ['a newline', 'a\nb'],
    ['NUL', '\u0000'],
    ['a lone surrogate', 'x\ud800'],
    ['a surrogate pair', 'x\u{1F600}'],
    ['Chinese', '晋钢'],
  ])('escapes an enterpriseId and a kind with %s as JSON.stringify does', (_what, text) => {
    const batch = ReadingBatch.parse({
      ...(readingBatch(seededRandom(13)) as object),
      enterpriseId: text,
      readings: [{ point: 'P-1', kind: text, ts: 1, v: 2.5, q: 'good' }],
    });
    expect(encodeReadingBatch(batch).toString()).toBe(JSON.stringify(batch));
    expect(JSON.parse(encodeReadingBatch(batch).toString())).toEqual(batch);
  });

  it('writes -0 as 0, as JSON.stringify does', () => {
    const batch = ReadingBatch.parse({
      ...(readingBatch(seededRandom(14)) as object),
      seq: -0,
      readings: [{ point: 'P-1', kind: 'k', ts: -0, v: -0, q: 'bad' }],
    });
    expect(Object.is(batch.readings[0]?.v, -0)).toBe(true);
    const text = encodeReadingBatch(batch).toString();
    expect(text).toBe(JSON.stringify(batch));
    expect(text).toContain('"ts":0,"v":0,');
  });

  it('grows past its scratch buffer for a batch of 5,000 readings with long ids, and returns buffers of their own', () => {
    const point = `P${'x'.repeat(63)}`;
    const big = ReadingBatch.parse({
      ...(readingBatch(seededRandom(16)) as object),
      enterpriseId: 'e'.repeat(100_000),
      readings: Array.from({ length: 5000 }, (_, i) => ({
        point,
        kind: `k${i % 7}`,
        ts: i,
        v: i / 3,
        q: 'good',
      })),
    });
    const small = ReadingBatch.parse(readingBatch(seededRandom(17)));
    const first = encodeReadingBatch(big);
    const second = encodeReadingBatch(small);
    expect(first.length).toBeGreaterThan(64 * 1024);
    expect(first.toString()).toBe(JSON.stringify(big));
    expect(second.toString()).toBe(JSON.stringify(small));
  });

  it('writes every key of the schemas, in their order (a new field in ReadingBatch needs a line in the encoder)', () => {
    const written = JSON.parse(
      encodeReadingBatch(ReadingBatch.parse(readingBatch(seededRandom(18)))).toString(),
    );
    expect(Object.keys(written)).toEqual(Object.keys(ReadingBatch.shape));
    expect(Object.keys(written.readings[0])).toEqual(Object.keys(NormalisedReading.shape));
  });

  it('leaves out keys the schema strips', () => {
    const parsed = ReadingBatch.parse(readingBatch(seededRandom(15)));
    const withExtras = { ...parsed, extra: 1, readings: parsed.readings.map((r) => ({ ...r, unit: 'ppm' })) };
    expect(encodeReadingBatch(withExtras).toString()).toBe(JSON.stringify(parsed));
  });
});
