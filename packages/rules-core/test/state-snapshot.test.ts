import type { AlarmTransitionEvent } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { createEnterpriseState, restoreState, snapshotState, tick } from '../src/index';
import { coPoint, ctxOf, EID, feed, reading, series, T0 } from './fixture-points';

const points = () => [
  coPoint('CO-1', [
    { id: 'thr', enabled: true, type: 'threshold', levels: { h: 3, hh: 1 } },
    { id: 'roc', enabled: true, type: 'rate-of-change', windowMs: 60_000, risePerMin: 60, level: 2 },
    { id: 'tr', enabled: true, type: 'trend', windowMs: 60_000, maxSamples: 10, meanAbove: 100, level: 3 },
    { id: 'nd', enabled: true, type: 'no-data', afterPeriods: 3, level: 3 },
  ]),
];
const ramp = [5, 10, 30, 60, 120, 170, 180, 150, 90, 40, 22, 19, 10, 30, 10, 5];
const strip = (ts: AlarmTransitionEvent[]) => ts.map(({ emittedAt: _e, ...rest }) => rest);

describe('state snapshot and replay', () => {
  it('replaying the same readings yields identical alarm ids and transitions', () => {
    const a = createEnterpriseState(EID);
    const b = createEnterpriseState(EID);
    const ctx = ctxOf(points());
    const ta = feed(a, ctx, series('CO-1', ramp));
    const tb = feed(b, ctxOf(points()), series('CO-1', ramp));
    expect(ta.length).toBeGreaterThan(3);
    expect(strip(tb)).toEqual(strip(ta));
  });

  it('a snapshot taken mid-stream (through JSON) continues exactly like the uninterrupted run', () => {
    const ctx = ctxOf(points());
    const whole = createEnterpriseState(EID);
    const expected = feed(whole, ctx, series('CO-1', ramp));
    const part = createEnterpriseState(EID);
    const before = feed(part, ctx, series('CO-1', ramp.slice(0, 7)));
    const restored = restoreState(JSON.parse(JSON.stringify(snapshotState(part))));
    const after = feed(restored, ctxOf(points()), series('CO-1', ramp.slice(7), 10_000, T0 + 70_000));
    expect(strip([...before, ...after])).toEqual(strip(expected));
    expect(snapshotState(restored)).toEqual(snapshotState(whole));
  });

  it('an offline timer survives a restore', () => {
    const ctx = ctxOf(points());
    const s = createEnterpriseState(EID);
    feed(s, ctx, series('CO-1', [5]));
    // The gateway keeps sending (a point the registry does not know), so CO-1's silence is its own.
    feed(s, ctx, [reading('OTHER', T0 + 20_000, 1)]);
    const restored = restoreState(JSON.parse(JSON.stringify(snapshotState(s))));
    const out = tick(restored, ctx, T0 + 30_001).transitions.filter((t) => t.rule === 'nd');
    expect(out.map((t) => t.transition)).toEqual(['raise']);
  });
});
