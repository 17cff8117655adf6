import { describe, expect, it } from 'vitest';
import { encodeJsonNumber } from '../src/reading-batch-encoder';
import { type Random, seededRandom } from './telemetry-arbitraries';

const CASES = 200_000;

/** Numbers from every region the shortcuts touch, and their borders. */
function someNumber(rnd: Random): number {
  const r = rnd();
  const sign = rnd() < 0.3 ? -1 : 1;
  const decimals = Math.floor(rnd() * 6);
  if (r < 0.3) {
    // few-decimal values of every magnitude, as sensors send them
    const scale = 10 ** decimals;
    return (sign * Math.round(rnd() * 10 ** Math.floor(rnd() * 13) * scale)) / scale;
  }
  if (r < 0.5) return sign * Math.floor(rnd() * 10 ** Math.floor(rnd() * 17)); // integers up to 1e16
  if (r < 0.6) return 1_764_295_200_000 + Math.floor(rnd() * 1e9); // epoch ms
  if (r < 0.75) return sign * rnd() * 10 ** (Math.floor(rnd() * 40) - 20); // arbitrary doubles
  // next to the borders of the shortcuts, a few ulps either side
  const border = [1e-3, 1e6, 1e9, 1e15, 2 ** 53, 1e21, 1e-6, 0.5, 2 ** 30, 2 ** 31][Math.floor(rnd() * 10)]!;
  const f = new Float64Array([border]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + BigInt(Math.floor(rnd() * 9) - 4);
  return sign * f[0]!;
}

describe('encodeReadingBatch numbers', () => {
  it('writes what JSON.stringify writes, for hundreds of thousands of numbers', () => {
    const rnd = seededRandom(21);
    const mismatches: string[] = [];
    for (let i = 0; i < CASES && mismatches.length < 3; i++) {
      const n = someNumber(rnd);
      if (encodeJsonNumber(n) !== JSON.stringify(n))
        mismatches.push(`${JSON.stringify(n)} → ${encodeJsonNumber(n)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it.each([
    0,
    -0,
    1,
    -1,
    0.001,
    0.0001,
    0.1 + 0.2,
    21.37,
    -21.05,
    999_999_999.999,
    1e9,
    1e9 + 0.5,
    1_000_000,
    999_999,
    1_764_295_200_123,
    1_764_295_000_007,
    1e15 - 1,
    1e15,
    2 ** 53 - 1,
    2 ** 53,
    9_007_199_199_999_999, // the largest quotient by 1e8 with the largest remainder
    -4_503_599_699_999_999,
    99_999_999,
    100_000_000,
    1e21,
    5e-324,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    123456789012345680000,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ])('writes %s as JSON.stringify does', (n) => {
    expect(encodeJsonNumber(n)).toBe(JSON.stringify(n));
  });
});
