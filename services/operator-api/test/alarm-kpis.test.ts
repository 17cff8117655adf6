import { describe, expect, it } from 'vitest';
import { alarmKpis } from '../src/reports/alarm-kpis';
import { alarmEvent, E_DT, E_TY, NOW } from './route-harness';

const from = NOW - 3_600_000;
const raise = (enterpriseId: string, at: number, point = 'P1', i = 0) =>
  alarmEvent(enterpriseId, {
    alarmId: `${enterpriseId}:${point}:r:${at}-${i}`,
    point,
    emittedAt: at,
    episodeStart: at,
  });

describe('alarmKpis', () => {
  it('counts a flood window only above 10 new alarms at one position in 10 minutes', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => raise(E_TY, from + 1000 * i, `P${i}`, i));
    const ten = Array.from({ length: 10 }, (_, i) => raise(E_DT, from + 1000 * i, `P${i}`, i));
    const k = alarmKpis({
      events: [...eleven, ...ten],
      active: [],
      from,
      to: NOW,
      closedLoopOf: () => undefined,
    });
    expect(k.raised).toBe(21);
    expect(k.floodWindows).toEqual([{ position: E_TY, windowStart: from, count: 11 }]);
    expect(k.per10Min).toBeCloseTo(21 / 6);
    expect(k.peak10Min).toBe(11);
  });

  it('finds chattering (3 raises in 60 s) but not 3 raises spread over 3 minutes', () => {
    const burst = [0, 20_000, 50_000].map((d, i) => raise(E_TY, from + d, 'CHAT', i));
    const slow = [0, 90_000, 180_000].map((d, i) => raise(E_TY, from + d, 'SLOW', i));
    const k = alarmKpis({
      events: [...burst, ...slow],
      active: [],
      from,
      to: NOW,
      closedLoopOf: () => undefined,
    });
    expect(k.chattering.map((c) => c.point)).toEqual(['CHAT']);
  });

  it('measures time to acknowledge, staleness and overdue closed-loop steps', () => {
    const r = raise(E_TY, from);
    const ack = {
      ...r,
      transition: 'ack' as const,
      state: 'active-ack' as const,
      seq: 2,
      emittedAt: from + 120_000,
    };
    const verify = { ...r, transition: 'verify' as const, seq: 3, emittedAt: from + 1_800_000 };
    const old = alarmEvent(E_DT, { episodeStart: NOW - 25 * 3_600_000, state: 'active-unack' });
    const k = alarmKpis({
      events: [r, ack, verify],
      active: [old],
      from,
      to: NOW,
      closedLoopOf: () => ({
        verifyWithinMs: 600_000,
        disposeWithinMs: 7_200_000,
        closeWithinMs: 86_400_000,
      }),
    });
    expect(k.ack).toMatchObject({ count: 1, unacked: 0, meanMs: 120_000, p50Ms: 120_000 });
    expect(k.overdue).toEqual({ verify: 1, dispose: 0, feedback: 0, close: 0 });
    expect(k.stale.map((s) => s.alarmId)).toEqual([old.alarmId]);
  });
});
