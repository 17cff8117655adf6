import type { MaintenanceWindow } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { applyCommand, compileEnterprise, createEnterpriseState, tick } from '../src/index';
import { brief, coPoint, EID, feed, series, T0 } from './fixture-points';

const MIN = 60_000;
const region = { province: '140000', city: '140100', county: '140105' };
const classification = { scheme: 'shanxi-yjgm-2024', code: 'B' as const, rank: 2 };

function setup(windows: MaintenanceWindow[]) {
  const ctx = compileEnterprise({
    enterpriseId: EID,
    enterprise: { region, classification, maintenanceWindows: windows },
    points: [coPoint('CO-1'), coPoint('CO-2')],
    gateways: [{ id: 'gw-01', heartbeatTimeoutMs: 3_600_000 }],
  });
  return { ctx, state: createEnterpriseState(EID) };
}

const window = (over: Partial<MaintenanceWindow>): MaintenanceWindow => ({
  id: 'mw-1',
  mode: 'suppress',
  points: ['CO-1'],
  from: T0,
  to: T0 + 30 * MIN,
  reason: '更换探头',
  requestedBy: { id: 'op-7', role: 'operator' },
  ...over,
});

describe('maintenance windows (检修): suppress and out-of-service of a point', () => {
  it('an alarm raised inside a suppress window starts suppressed, with who and why, and is presented when it ends', () => {
    const { ctx, state } = setup([window({})]);
    const [first, ...rest] = feed(state, ctx, series('CO-1', [30], 10_000, T0 + MIN));
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      transition: 'suppress',
      state: 'suppressed',
      actor: { id: 'op-7', role: 'operator' },
      comment: '检修 mw-1: 更换探头',
    });
    // The other point is not covered.
    expect(feed(state, ctx, series('CO-2', [30], 10_000, T0 + MIN)).map(brief)).toEqual([
      'raise:active-unack:L3',
    ]);
    expect(tick(state, ctx, T0 + 29 * MIN).transitions).toEqual([]);
    const end = tick(state, ctx, T0 + 30 * MIN).transitions;
    expect(end.map(brief)).toEqual(['unsuppress:active-unack:L3']);
    expect(end[0]!.alarmId).toBe(first!.alarmId);
  });

  it('a window for the whole enterprise takes an active alarm out of service when it begins and back when it ends', () => {
    const { ctx, state } = setup([window({ mode: 'out-of-service', points: [], from: T0 + 5 * MIN })]);
    const [raise] = feed(state, ctx, series('CO-1', [30], 10_000, T0));
    expect(tick(state, ctx, T0 + 5 * MIN - 1).transitions).toEqual([]);
    const begin = tick(state, ctx, T0 + 5 * MIN).transitions;
    expect(begin.map(brief)).toEqual(['out-of-service:out-of-service:L3']);
    expect(begin[0]).toMatchObject({ alarmId: raise!.alarmId, actor: { id: 'op-7' } });
    // Returning to normal meanwhile: released as normal, and the episode settles.
    feed(state, ctx, series('CO-1', [10], 10_000, T0 + 10 * MIN));
    expect(tick(state, ctx, T0 + 30 * MIN).transitions.map(brief)).toEqual(['in-service:normal:L3']);
    expect(state.alarms.get(raise!.alarmId)?.settled).toBe(true);
  });

  it('an operator’s own suppression is not lifted by a window ending', () => {
    const { ctx, state } = setup([window({ from: T0 + 5 * MIN })]);
    const [raise] = feed(state, ctx, series('CO-1', [30], 10_000, T0));
    const cmd = {
      commandId: 'hold-cmd-0001',
      alarmId: raise!.alarmId,
      enterpriseId: EID,
      action: 'suppress' as const,
      actor: { id: 'op-1', role: 'operator' as const },
      issuedAt: T0,
    };
    expect(applyCommand(state, cmd, ctx, T0 + MIN).result.ok).toBe(true);
    expect(tick(state, ctx, T0 + 6 * MIN).transitions).toEqual([]);
    expect(tick(state, ctx, T0 + 31 * MIN).transitions).toEqual([]);
    expect(state.alarms.get(raise!.alarmId)?.suppressed).toBe(true);
  });
});
