import type { EffectivePoint, RuleSpec } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { compileEnterprise, createEnterpriseState, evaluateBatch, tick } from '../src/index';
import { brief, coPoint, EID, feed, fresh, reading, series, T0 } from './fixture-points';

const rule = <T extends RuleSpec>(r: T) => r;

describe('rate of change', () => {
  const roc = rule({
    id: 'roc',
    enabled: true,
    type: 'rate-of-change',
    windowMs: 60_000,
    risePerMin: 30,
    level: 2,
  });
  it.each([
    {
      name: 'a rise faster than the limit raises',
      values: [10, 12, 14, 30],
      expected: ['raise:active-unack:L2'],
    },
    { name: 'a slow rise does not', values: [10, 12, 14, 16, 18], expected: [] },
    {
      name: 'the rate falls back and the alarm returns',
      values: [10, 40, 40, 40, 40, 40, 40, 40, 40],
      expected: ['raise:active-unack:L2', 'rtn:rtn-unack:L2'],
    },
  ])('$name', ({ values, expected }) => {
    const { state, ctx } = fresh([coPoint('CO-1', [roc])]);
    expect(feed(state, ctx, series('CO-1', values)).map(brief)).toEqual(expected);
  });

  it('needs one decimation step of history: jitter between samples milliseconds apart is no rise', () => {
    const { state, ctx } = fresh([coPoint('CO-1', [roc])]);
    // 10 ms apart, ±0.5: 3,000 ppm/min if taken over 10 ms; the window has no reference yet.
    const jitter = Array.from({ length: 50 }, (_, i) => 10 + (i % 2) * 0.5);
    expect(feed(state, ctx, series('CO-1', jitter, 10)).map(brief)).toEqual([]);
    // A real rise over seconds (≥ windowMs / 7 of history) still raises.
    const { state: s2, ctx: c2 } = fresh([coPoint('CO-1', [roc])]);
    expect(feed(s2, c2, series('CO-1', [10, 10, 10, 20], 5_000)).map(brief)).toEqual([
      'raise:active-unack:L2',
    ]);
  });

  it('a sudden drop raises a drop rule (launder level)', () => {
    const drop = rule({
      id: 'drop',
      enabled: true,
      type: 'rate-of-change',
      windowMs: 10_000,
      dropPerMin: 120,
      level: 1,
    });
    const { state, ctx } = fresh([coPoint('LV-1', [drop])]);
    const out = feed(state, ctx, series('LV-1', [150, 150, 120], 1_000));
    expect(out.map(brief)).toEqual(['raise:active-unack:L1']);
    expect(out[0]!.value).toBeCloseTo(-900);
  });
});

describe('trend', () => {
  it('raises when the window mean crosses, with bounded memory', () => {
    const tr = rule({
      id: 'mean',
      enabled: true,
      type: 'trend',
      windowMs: 60_000,
      maxSamples: 6,
      meanAbove: 50,
      level: 3,
    });
    const { state, ctx } = fresh([coPoint('T-1', [tr])]);
    const values = Array.from({ length: 40 }, (_, i) => (i < 20 ? 40 : 60));
    const out = feed(state, ctx, series('T-1', values, 5_000));
    expect(out.map(brief)).toEqual(['raise:active-unack:L3']);
    expect(state.points.get('T-1')!.slots[0]!.win!.length).toBe(12 + 12);
  });
  it('raises on a slope above the limit', () => {
    const tr = rule({
      id: 'slope',
      enabled: true,
      type: 'trend',
      windowMs: 60_000,
      maxSamples: 12,
      slopeAbovePerMin: 5,
      level: 3,
    });
    const { state, ctx } = fresh([coPoint('T-1', [tr])]);
    const flat = feed(state, ctx, series('T-1', [50, 50, 51, 50, 50, 51]));
    expect(flat).toEqual([]);
    const rising = feed(state, ctx, series('T-1', [53, 56, 59, 62], 10_000, T0 + 60_000));
    expect(rising.map(brief)).toEqual(['raise:active-unack:L3']);
  });

  it('keeps the slope exact over many windows (running sums are re-based, no drift)', () => {
    const rule = (id: string, slope: number) =>
      ({
        id,
        enabled: true,
        type: 'trend',
        windowMs: 60_000,
        maxSamples: 30,
        slopeAbovePerMin: slope,
        level: 3,
      }) as const;
    const { state, ctx } = fresh([coPoint('T-1', [rule('under', 5.9), rule('over', 6.1)])]);
    // 6 units per minute, one reading per second, for 40 minutes (40 windows, several re-bases).
    const values = Array.from({ length: 2_400 }, (_, i) => 100 + (6 * i) / 60);
    const out = feed(state, ctx, series('T-1', values, 1_000));
    expect(out.map((t) => `${t.rule}:${t.transition}`)).toEqual(['under:raise']);
    expect(state.points.get('T-1')!.slots[0]!.alarm!.active).toBe(true);
  });
});

describe('no-data and gateway offline (wall clock)', () => {
  const nd = rule({ id: 'nodata', enabled: true, type: 'no-data', afterPeriods: 3, level: 3 });
  it('raises after N sampling periods of silence with a deterministic episode start, and clears on data', () => {
    const { state, ctx } = fresh([coPoint('CO-1', [nd])]);
    feed(state, ctx, [reading('CO-1', T0, 5)]);
    // The gateway keeps sending (a point the registry does not know), so CO-1's silence is its own.
    feed(state, ctx, [reading('OTHER', T0 + 20_000, 1)]);
    expect(tick(state, ctx, T0 + 30_000).transitions).toEqual([]);
    const out = tick(state, ctx, T0 + 30_001).transitions.filter((t) => t.point === 'CO-1');
    expect(out.map(brief)).toEqual(['raise:active-unack:L3']);
    expect(out[0]!.alarmId).toBe(`${EID}:CO-1:nodata:${T0 + 30_000}`);
    expect(tick(state, ctx, T0 + 40_000).transitions.filter((t) => t.point === 'CO-1')).toEqual([]);
    expect(feed(state, ctx, [reading('CO-1', T0 + 41_000, 5)]).map(brief)).toEqual(['rtn:rtn-unack:L3']);
  });
  it('a gateway falls offline after its heartbeat timeout and returns with its next batch', () => {
    const { state, ctx } = fresh([coPoint()]);
    feed(state, ctx, [reading('CO-1', T0, 5)]);
    const off = tick(state, ctx, T0 + 60_001).transitions;
    expect(off.map((t) => `${t.point}:${t.kind}:${t.transition}`)).toEqual([
      'gateway:gw-01:gateway-offline:raise',
    ]);
    expect(off[0]!.alarmId).toBe(`${EID}:gateway:gw-01:offline:${T0 + 60_000}`);
    const back = feed(state, ctx, [reading('CO-1', T0 + 70_000, 5)]);
    expect(back.map((t) => `${t.point}:${t.transition}`)).toEqual(['gateway:gw-01:rtn']);
  });
});

describe('sensor fault', () => {
  const sf = rule({
    id: 'fault',
    enabled: true,
    type: 'sensor-fault',
    outOfRange: true,
    badQuality: true,
    frozen: { samples: 4 },
    level: 4,
  });
  it.each([
    { name: 'out of range', rs: [reading('CO-1', T0, 1200)], expected: ['raise:active-unack:L4'] },
    { name: 'range edge is not out of range', rs: [reading('CO-1', T0, 1000)], expected: [] },
    { name: 'bad quality', rs: [reading('CO-1', T0, 3, 'bad')], expected: ['raise:active-unack:L4'] },
    { name: 'frozen for N samples', rs: series('CO-1', [3, 3, 3, 3]), expected: ['raise:active-unack:L4'] },
    { name: 'N−1 equal samples are not frozen', rs: series('CO-1', [3, 3, 3, 4]), expected: [] },
    {
      name: 'recovers when the value moves',
      rs: series('CO-1', [3, 3, 3, 3, 4]),
      expected: ['raise:active-unack:L4', 'rtn:rtn-unack:L4'],
    },
  ])('$name', ({ rs, expected }) => {
    const { state, ctx } = fresh([coPoint('CO-1', [sf])]);
    expect(feed(state, ctx, rs).map(brief)).toEqual(expected);
  });
  it('frozen for a duration', () => {
    const byTime = rule({ ...sf, frozen: { durationMs: 60_000 } });
    const { state, ctx } = fresh([coPoint('CO-1', [byTime])]);
    expect(feed(state, ctx, series('CO-1', [3, 3, 3, 3, 3, 3, 3], 10_000)).map(brief)).toEqual([
      'raise:active-unack:L4',
    ]);
  });
});

describe('combination', () => {
  const hopper = coPoint('HT-1', [
    {
      id: 'hot-airlock-stopped',
      enabled: true,
      type: 'combination',
      a: { point: 'self', op: '>', value: 60 },
      b: { point: 'AL-1', op: '==', value: 0 },
      withinMs: 15_000,
      level: 2,
    },
  ]);
  const airlock = coPoint('AL-1', []);
  it.each([
    {
      name: 'A and B within Δt raises on the owner point',
      rs: [reading('AL-1', T0, 0), reading('HT-1', T0 + 10_000, 65)],
      expected: ['raise:active-unack:L2'],
    },
    {
      name: 'B too old does not',
      rs: [reading('AL-1', T0, 0), reading('HT-1', T0 + 20_000, 65)],
      expected: [],
    },
    { name: 'only A does not', rs: [reading('AL-1', T0, 1), reading('HT-1', T0 + 5_000, 65)], expected: [] },
    {
      name: 'B turning true later raises; B false again returns',
      rs: [reading('HT-1', T0, 65), reading('AL-1', T0 + 5_000, 0), reading('AL-1', T0 + 10_000, 1)],
      expected: ['raise:active-unack:L2', 'rtn:rtn-unack:L2'],
    },
  ])('$name', ({ rs, expected }) => {
    const { state, ctx } = fresh([hopper, airlock]);
    const out = feed(state, ctx, rs);
    expect(out.map(brief)).toEqual(expected);
    for (const t of out) expect(t.point).toBe('HT-1');
  });
});

describe('M-out-of-N voting', () => {
  const vote = rule({ id: 'vote', enabled: true, type: 'vote', m: 2, limit: 'h', level: 1 });
  const member = (code: string) =>
    coPoint(code, [vote], { votingGroup: 'room-1', limits: { h: 24, hh: 160 } });
  const members = [member('CO-A'), member('CO-B'), member('CO-C')];

  it('one detector over the limit does not vote the group; two do', () => {
    const { state, ctx } = fresh(members);
    expect(
      feed(state, ctx, [reading('CO-A', T0, 30), reading('CO-B', T0, 5), reading('CO-C', T0, 5)]),
    ).toEqual([]);
    const out = feed(state, ctx, [reading('CO-B', T0 + 10_000, 40)]);
    expect(out.map((t) => `${t.point}:${t.kind}:${t.transition}:L${t.level}:${t.value}/${t.limit}`)).toEqual([
      'vote:room-1:vote:raise:L1:2/2',
    ]);
    expect(out[0]!.alarmId).toBe(`${EID}:vote:room-1:vote:${T0 + 10_000}`);
  });

  it('a detector that goes offline during a 2oo3 vote counts as voting (fail-safe)', () => {
    const { state, ctx } = fresh(members);
    feed(state, ctx, [reading('CO-A', T0, 30), reading('CO-B', T0, 5), reading('CO-C', T0, 5)]);
    feed(state, ctx, [reading('CO-A', T0 + 25_000, 30), reading('CO-C', T0 + 25_000, 5)]);
    const out = tick(state, ctx, T0 + 30_001).transitions.filter((t) => t.kind === 'vote');
    expect(out.map((t) => `${t.transition}:${t.value}`)).toEqual(['raise:2']);
    expect(out[0]!.episodeStart).toBe(T0 + 30_000);
    const back = feed(state, ctx, [reading('CO-B', T0 + 35_000, 5)]);
    expect(back.filter((t) => t.kind === 'vote').map((t) => t.transition)).toEqual(['rtn']);
  });

  it('a faulted (bad quality) detector votes', () => {
    const { state, ctx } = fresh(members);
    const out = feed(state, ctx, [reading('CO-A', T0, 30), reading('CO-B', T0, 0, 'bad')]);
    expect(out.filter((t) => t.kind === 'vote').map((t) => t.transition)).toEqual(['raise']);
  });
});

describe('classification hook', () => {
  it('mapLevel shifts levels for the enterprise classification', () => {
    const p: EffectivePoint = coPoint();
    const ctx = compileEnterprise({
      enterpriseId: EID,
      enterprise: {
        region: { province: '140000', city: '140100', county: '140105' },
        classification: { scheme: 'shanxi-yjgm-2024', code: 'A', rank: 1 },
      },
      points: [p],
      options: {
        mapLevel: (level, { classification }) =>
          classification?.code === 'A' ? Math.max(1, level - 1) : level,
      },
    });
    const state = createEnterpriseState(EID);
    const out = evaluateBatch(
      state,
      { gatewayId: 'gw-01', receivedAt: T0, readings: [reading('CO-1', T0, 30)] },
      ctx,
      T0,
    ).transitions;
    expect(out.map(brief)).toEqual(['raise:active-unack:L2']);
    expect(out[0]!.region).toEqual({ city: '140100', county: '140105' });
  });
});
