import { describe, expect, it } from 'vitest';
import { evaluateBatch } from '../src/index';
import { brief, coPoint, feed, fresh, reading, series, T0 } from './fixture-points';

describe('threshold rule', () => {
  const cases: Array<{
    name: string;
    values: number[];
    expected: string[];
    onDelayMs?: number;
    offDelayMs?: number;
  }> = [
    { name: 'value exactly on the h limit raises', values: [10, 24], expected: ['raise:active-unack:L3'] },
    { name: 'value just below the limit does not raise', values: [10, 23.999], expected: [] },
    { name: 'inside the deadband stays active', values: [25, 20.001], expected: ['raise:active-unack:L3'] },
    {
      name: 'exactly at limit − deadband returns',
      values: [25, 20],
      expected: ['raise:active-unack:L3', 'rtn:rtn-unack:L3'],
    },
    {
      name: 'h then hh escalates to level 1',
      values: [25, 170],
      expected: ['raise:active-unack:L3', 'escalate:active-unack:L1'],
    },
    { name: 'straight to hh raises level 1', values: [10, 200], expected: ['raise:active-unack:L1'] },
    {
      name: 'on-delay interrupted restarts the delay',
      values: [25, 15, 25, 25, 25, 25],
      onDelayMs: 30_000,
      expected: ['raise:active-unack:L3'],
    },
    { name: 'on-delay never satisfied', values: [25, 25, 10, 25, 10], onDelayMs: 30_000, expected: [] },
    {
      name: 'off-delay holds the return',
      values: [25, 10, 10, 25, 10, 10, 10],
      offDelayMs: 20_000,
      expected: ['raise:active-unack:L3', 'rtn:rtn-unack:L3'],
    },
  ];
  it.each(cases)('$name', ({ values, expected, onDelayMs, offDelayMs }) => {
    const { state, ctx } = fresh([
      coPoint('CO-1', undefined, { onDelayMs: onDelayMs ?? 0, offDelayMs: offDelayMs ?? 0 }),
    ]);
    expect(feed(state, ctx, series('CO-1', values)).map(brief)).toEqual(expected);
  });

  it('an interrupted on-delay opens the episode at the reading that restarted it', () => {
    const { state, ctx } = fresh([coPoint('CO-1', undefined, { onDelayMs: 30_000 })]);
    const out = feed(state, ctx, series('CO-1', [25, 15, 25, 25, 25, 25]));
    expect(out[0]!.episodeStart).toBe(T0 + 20_000);
    expect(out[0]!.eventTime).toBe(T0 + 50_000);
    expect(out[0]!.alarmId).toBe(`140105001:CO-1:thr:${T0 + 20_000}`);
  });

  it('low limits raise at ll with level from the rule and clear with deadband above', () => {
    const p = coPoint('P-1', [{ id: 'lo', enabled: true, type: 'threshold', levels: { l: 2, ll: 1 } }], {
      limits: { l: 0.25, ll: 0.18 },
      deadband: 0.01,
    });
    const { state, ctx } = fresh([p]);
    const out = feed(state, ctx, series('P-1', [0.3, 0.25, 0.18, 0.185, 0.2, 0.26]));
    expect(out.map(brief)).toEqual(['raise:active-unack:L2', 'escalate:active-unack:L1', 'rtn:rtn-unack:L1']);
  });

  it('de-escalates only after the hold time', () => {
    const { state, ctx } = fresh([coPoint()], { deescalateHoldMs: 30_000 });
    const out = feed(state, ctx, series('CO-1', [200, 100, 100, 100, 100]));
    expect(out.map(brief)).toEqual(['raise:active-unack:L1', 'deescalate:active-unack:L3']);
    expect(out[1]!.eventTime).toBe(T0 + 40_000);
  });

  it('out-of-order and duplicate readings are counted and never evaluated', () => {
    const { state, ctx } = fresh([coPoint()]);
    feed(state, ctx, [reading('CO-1', T0 + 20_000, 10)]);
    const r = evaluateBatch(
      state,
      {
        gatewayId: 'gw-01',
        receivedAt: T0 + 20_000,
        readings: [reading('CO-1', T0 + 10_000, 500), reading('CO-1', T0 + 20_000, 500)],
      },
      ctx,
      T0 + 21_000,
    );
    expect(r.transitions).toEqual([]);
    expect(r.outOfOrder).toBe(2);
    expect(state.outOfOrder).toBe(2);
  });

  it('non-finite values and unknown points are counted, not evaluated', () => {
    const { state, ctx } = fresh([coPoint()]);
    const r = evaluateBatch(
      state,
      {
        gatewayId: 'gw-01',
        receivedAt: T0,
        readings: [
          reading('CO-1', T0, Number.NaN),
          reading('CO-9', T0, 500),
          reading('CO-1', T0 + 1, Number.POSITIVE_INFINITY),
        ],
      },
      ctx,
      T0,
    );
    expect([r.transitions.length, r.invalid, r.unknownPoints, r.evaluated]).toEqual([0, 2, 1, 0]);
  });

  it('a bad-quality reading neither raises nor clears (fail-safe)', () => {
    const { state, ctx } = fresh([coPoint()]);
    const out = feed(state, ctx, [
      reading('CO-1', T0, 30),
      reading('CO-1', T0 + 10_000, 0, 'bad'),
      reading('CO-1', T0 + 20_000, 900, 'bad'),
    ]);
    expect(out.map(brief)).toEqual(['raise:active-unack:L3']);
  });
});
