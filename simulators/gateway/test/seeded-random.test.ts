import { describe, expect, it } from 'vitest';
import { hashSeed, SeededRandom } from '../src/seeded-random';

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new SeededRandom('seed-1');
    const b = new SeededRandom('seed-1');
    const c = new SeededRandom('seed-2');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniforms in [0, 1) and standard normals with mean ≈ 0 and sd ≈ 1', () => {
    const r = new SeededRandom(42);
    const u = Array.from({ length: 20_000 }, () => r.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const g = Array.from({ length: 20_000 }, () => r.gaussian());
    const mean = g.reduce((s, x) => s + x, 0) / g.length;
    const sd = Math.sqrt(g.reduce((s, x) => s + (x - mean) ** 2, 0) / g.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
  });

  it('hashes labels to stable 32-bit seeds', () => {
    expect(hashSeed('CO-BF1-003')).toBe(hashSeed('CO-BF1-003'));
    expect(hashSeed('CO-BF1-003')).not.toBe(hashSeed('CO-BF1-004'));
    expect(hashSeed('x')).toBeLessThan(2 ** 32);
  });
});
