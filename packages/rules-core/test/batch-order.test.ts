import { describe, expect, it } from 'vitest';
import { createEnterpriseState, evaluateBatch } from '../src/index';
import { coPoint, ctxOf, reading, T0 } from './fixture-points';

/** evaluate-batch reuses the point states of a gateway's previous batch by position. */
describe('batches whose points come in a different order each time', () => {
  it('evaluates each reading against its own point, whatever the position', () => {
    const ctx = ctxOf([coPoint('CO-1'), coPoint('CO-2'), coPoint('CO-3')]);
    const state = createEnterpriseState(ctx.enterpriseId);
    const batch = (ts: number, rs: Array<[string, number]>) =>
      evaluateBatch(
        state,
        { gatewayId: 'gw-01', receivedAt: ts, readings: rs.map(([p, v]) => reading(p, ts, v)) },
        ctx,
        ts,
      );
    batch(T0, [
      ['CO-1', 5],
      ['CO-2', 5],
      ['CO-3', 5],
    ]);
    // Same positions, other points (and an unknown one in between): only CO-3 is over its limit.
    const second = batch(T0 + 1_000, [
      ['CO-3', 30],
      ['NOPE', 99],
      ['CO-1', 6],
      ['CO-2', 7],
    ]);
    expect(second.unknownPoints).toBe(1);
    expect(second.transitions.map((t) => [t.point, t.transition])).toEqual([['CO-3', 'raise']]);
    expect(state.points.get('CO-1')!.lastValue).toBe(6);
    expect(state.points.get('CO-2')!.lastValue).toBe(7);
    expect(state.points.get('CO-3')!.lastValue).toBe(30);
    const third = batch(T0 + 2_000, [
      ['CO-2', 40],
      ['CO-3', 5],
    ]);
    expect(third.transitions.map((t) => [t.point, t.transition])).toEqual([
      ['CO-2', 'raise'],
      ['CO-3', 'rtn'],
    ]);
  });
});
