import { isoDateTime, ODD_VALUES, seededRandom } from '@yujing/schemas/test-arbitraries';
import { describe, expect, it } from 'vitest';
import { toEpochMs } from '../src/epoch-time';

describe('toEpochMs', () => {
  it('equals Date.parse on thousands of generated and scrambled ISO strings', () => {
    const rnd = seededRandom(21);
    const CHARS = '0123456789:+-.TZz ';
    const scrambled = (iso: string) => {
      const at = Math.floor(rnd() * iso.length);
      return (
        iso.slice(0, at) + CHARS[Math.floor(rnd() * CHARS.length)] + iso.slice(at + (rnd() < 0.5 ? 1 : 0))
      );
    };
    const strings = [
      ...Array.from({ length: 20_000 }, () => isoDateTime(rnd)),
      ...Array.from({ length: 20_000 }, () => scrambled(isoDateTime(rnd))),
      ...ODD_VALUES.filter((x): x is string => typeof x === 'string'),
    ];
    const differ = strings.filter((s) => !Object.is(toEpochMs(s), Date.parse(s)));
    expect(differ.slice(0, 5)).toEqual([]);
  });

  it.each([
    ['2026-11-28T10:00:00+08:00', Date.UTC(2026, 10, 28, 2)],
    ['2026-11-28T02:00:00Z', Date.UTC(2026, 10, 28, 2)],
    ['2026-11-28T02:00:00.1Z', Date.UTC(2026, 10, 28, 2) + 100],
    ['2026-11-28T02:00:00.12Z', Date.UTC(2026, 10, 28, 2) + 120],
    ['2026-11-28T02:00:00.123999999Z', Date.UTC(2026, 10, 28, 2) + 123],
    ['2024-02-29T23:59:59-05:30', Date.UTC(2024, 2, 1, 5, 29, 59)],
    ['0000-01-01T00:00:00Z', -62_167_219_200_000],
    ['0099-03-01T00:00:00+08:00', -59_037_926_400_000],
    ['9999-12-31T23:59:59.999Z', 253_402_300_799_999],
  ])('reads %s', (iso, ms) => {
    expect(toEpochMs(iso)).toBe(ms);
    expect(Date.parse(iso)).toBe(ms);
  });

  it('passes epoch ms through', () => {
    expect(toEpochMs(1_764_295_200_000)).toBe(1_764_295_200_000);
  });
});
