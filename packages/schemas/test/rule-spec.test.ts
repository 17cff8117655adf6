import { describe, expect, it } from 'vitest';
import { Limits, RuleOverride, RuleSpec } from '../src/index';

const fails = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('Limits', () => {
  it.each([{}, { h: 24, hh: 160 }, { ll: 1, l: 2, h: 3, hh: 4 }, { l: 0.5 }])(
    'accepts ordered limits %j',
    (l) => {
      expect(Limits.safeParse(l).success).toBe(true);
    },
  );
  it.each([
    [{ l: 900, h: 500 }, /^h: limit h \(500\) must be above l \(900\)/],
    [{ h: 160, hh: 24 }, /^hh: /],
    [{ ll: 5, l: 5 }, /^l: /],
    [{ h: '24' }, /^h: /],
  ])('rejects %j', (l, message) => {
    expect(fails(Limits.safeParse(l))).toContainEqual(expect.stringMatching(message));
  });
});

describe('RuleSpec', () => {
  it.each([
    { id: 'limits', type: 'threshold' },
    { id: 'rise', type: 'rate-of-change', windowMs: 60_000, risePerMin: 50, level: 2 },
    { id: 'trend', type: 'trend', windowMs: 600_000, meanAbove: 40, level: 3 },
    { id: 'no-data', type: 'no-data' },
    { id: 'fault', type: 'sensor-fault', frozen: { samples: 30 } },
    {
      id: 'combo',
      type: 'combination',
      a: { point: '@airlock-running', op: '==', value: 0 },
      b: { point: 'self', op: '>', value: 60 },
      withinMs: 30_000,
      level: 2,
    },
    { id: 'vote', type: 'vote', m: 2, level: 1 },
  ])('accepts a $type rule', (r) => {
    expect(RuleSpec.safeParse(r).success).toBe(true);
  });

  it('fills threshold defaults (levels hh→1, h→2, l→2, ll→1; enabled)', () => {
    expect(RuleSpec.parse({ id: 't', type: 'threshold' })).toMatchObject({
      enabled: true,
      levels: { hh: 1, h: 2, l: 2, ll: 1 },
    });
  });

  it.each([
    [{ id: 'x', type: 'fuzzy' }, /type: /],
    [{ id: 'x', type: 'rate-of-change', windowMs: 60_000, level: 2 }, /risePerMin: rate-of-change needs/],
    [{ id: 'x', type: 'rate-of-change', windowMs: 10, risePerMin: 1, level: 2 }, /windowMs: /],
    [{ id: 'x', type: 'trend', windowMs: 60_000, level: 2 }, /meanAbove: trend needs/],
    [{ id: 'x', type: 'vote', m: 0, level: 1 }, /m: /],
    [{ id: 'x', type: 'no-data', level: 5 }, /level: /],
    [{ id: 'x', type: 'threshold', limits: { h: 10, hh: 5 } }, /limits.hh: /],
    [{ id: 'a:b', type: 'no-data' }, /id: /],
    [
      {
        id: 'x',
        type: 'combination',
        a: { point: 'has space', op: '==', value: 0 },
        b: { point: 'self', op: '~', value: 1 },
        withinMs: 1,
        level: 1,
      },
      /a.point: /,
    ],
  ])('rejects %j', (r, message) => {
    expect(fails(RuleSpec.safeParse(r))).toContainEqual(expect.stringMatching(message));
  });

  it('lets overrides carry any rule field but requires an id', () => {
    expect(RuleOverride.safeParse({ id: 'co-rise', risePerMin: 80 }).success).toBe(true);
    expect(RuleOverride.safeParse({ risePerMin: 80 }).success).toBe(false);
    expect(RuleOverride.safeParse({ id: 'x', level: 0 }).success).toBe(false);
  });
});
