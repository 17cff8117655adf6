import type { AlarmAction, AlarmCommand, Role } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { applyCommand, tick } from '../src/index';
import { brief, coPoint, EID, feed, fresh, series, T0 } from './fixture-points';

let n = 0;
function cmd(
  alarmId: string,
  action: AlarmAction,
  role: Role = 'operator',
  extra: Partial<AlarmCommand> = {},
): AlarmCommand {
  n++;
  return {
    commandId: `cmd-${String(n).padStart(6, '0')}`,
    alarmId,
    enterpriseId: EID,
    action,
    actor: { id: 'u1', role },
    issuedAt: T0,
    ...extra,
  };
}

function raised(options = {}) {
  const { state, ctx } = fresh([coPoint()], options);
  const [first] = feed(state, ctx, series('CO-1', [30]));
  return { state, ctx, id: first!.alarmId };
}

describe('ISA-18.2 lifecycle', () => {
  it('active-unack → ack → active-ack → return → normal', () => {
    const { state, ctx, id } = raised();
    const ack = applyCommand(state, cmd(id, 'ack'), ctx, T0 + 5_000);
    expect(ack.result.ok).toBe(true);
    expect(ack.transitions.map(brief)).toEqual(['ack:active-ack:L3']);
    expect(ack.transitions[0]!.actor).toEqual({ id: 'u1', role: 'operator' });
    expect(feed(state, ctx, series('CO-1', [10], 10_000, T0 + 10_000)).map(brief)).toEqual([
      'clear:normal:L3',
    ]);
  });

  it('active-unack → return → rtn-unack → ack → normal, and the next activation is a new episode', () => {
    const { state, ctx, id } = raised();
    expect(feed(state, ctx, series('CO-1', [10], 10_000, T0 + 10_000)).map(brief)).toEqual([
      'rtn:rtn-unack:L3',
    ]);
    expect(applyCommand(state, cmd(id, 'ack'), ctx, T0 + 15_000).transitions.map(brief)).toEqual([
      'ack:normal:L3',
    ]);
    const again = feed(state, ctx, series('CO-1', [30], 10_000, T0 + 20_000));
    expect(again.map(brief)).toEqual(['raise:active-unack:L3']);
    expect(again[0]!.alarmId).not.toBe(id);
    expect(again[0]!.seq).toBe(0);
  });

  it('re-alarms when an acknowledged alarm escalates', () => {
    const { state, ctx, id } = raised();
    applyCommand(state, cmd(id, 'ack'), ctx, T0 + 1);
    const out = feed(state, ctx, series('CO-1', [200], 10_000, T0 + 10_000));
    expect(out.map(brief)).toEqual(['escalate:active-unack:L1']);
    expect(out[0]!.alarmId).toBe(id);
  });

  it('seq orders the transitions of one alarm', () => {
    const { state, ctx, id } = raised();
    const a = applyCommand(state, cmd(id, 'ack'), ctx, T0 + 1).transitions;
    const b = feed(state, ctx, series('CO-1', [10], 10_000, T0 + 10_000));
    expect([...a, ...b].map((t) => t.seq)).toEqual([1, 2]);
  });

  it('shelving silences until unshelved; an alarm still active is presented again unacknowledged', () => {
    const { state, ctx, id } = raised();
    const sh = applyCommand(
      state,
      cmd(id, 'shelve', 'operator', { durationMs: 60_000, reason: 'maintenance' }),
      ctx,
      T0 + 1_000,
    );
    expect(sh.transitions.map(brief)).toEqual(['shelve:shelved:L3']);
    expect(sh.transitions[0]!.shelvedUntil).toBe(T0 + 61_000);
    expect(feed(state, ctx, series('CO-1', [30, 10, 200], 10_000, T0 + 10_000))).toEqual([]);
    const un = applyCommand(state, cmd(id, 'unshelve'), ctx, T0 + 40_000);
    expect(un.transitions.map(brief)).toEqual(['unshelve:active-unack:L1']);
  });

  it('a shelve expires on the tick at its deadline; returned meanwhile → normal', () => {
    const { state, ctx, id } = raised();
    applyCommand(state, cmd(id, 'shelve', 'operator', { durationMs: 60_000, reason: 'x' }), ctx, T0);
    feed(state, ctx, series('CO-1', [10], 10_000, T0 + 10_000));
    expect(tick(state, ctx, T0 + 59_999).transitions).toEqual([]);
    const out = tick(state, ctx, T0 + 60_000).transitions;
    expect(out.map(brief)).toEqual(['shelve-expired:normal:L3']);
    expect(tick(state, ctx, T0 + 70_000).transitions).toEqual([]);
  });

  it('refuses a shelve longer than the maximum', () => {
    const { state, ctx, id } = raised({ maxShelveMs: 3_600_000 });
    const r = applyCommand(
      state,
      cmd(id, 'shelve', 'operator', { durationMs: 3_600_001, reason: 'x' }),
      ctx,
      T0,
    );
    expect(r.result).toMatchObject({ ok: false, code: 'YJ_ERR_ALARM_SHELVE_TOO_LONG' });
    expect(r.transitions).toEqual([]);
  });

  it.each([
    ['suppress', 'unsuppress', 'suppressed'],
    ['out-of-service', 'in-service', 'out-of-service'],
  ] as const)('%s silences and %s restores', (on, off, stateName) => {
    const { state, ctx, id } = raised();
    expect(applyCommand(state, cmd(id, on), ctx, T0).transitions.map((t) => t.state)).toEqual([stateName]);
    expect(feed(state, ctx, series('CO-1', [200], 10_000, T0 + 10_000))).toEqual([]);
    expect(applyCommand(state, cmd(id, off), ctx, T0 + 20_000).transitions.map(brief)).toEqual([
      `${off}:active-unack:L1`,
    ]);
  });

  it('chattering: the third activation within a minute emits one chatter, then nothing until it calms', () => {
    const { state, ctx } = fresh([coPoint()]);
    const out = feed(state, ctx, series('CO-1', [30, 10, 30, 10, 30, 10, 30, 10, 30, 10], 5_000));
    expect(out.map((t) => t.transition)).toEqual(['raise', 'rtn', 'raise', 'rtn', 'chatter']);
    expect(new Set(out.map((t) => t.alarmId)).size).toBe(1);
    const calm = tick(state, ctx, T0 + 45_000 + 60_001).transitions.filter((t) => t.point === 'CO-1');
    expect(calm.map(brief)).toEqual(['rtn:rtn-unack:L3']);
  });

  it('ack of an already acknowledged alarm is a conflict', () => {
    const { state, ctx, id } = raised();
    applyCommand(state, cmd(id, 'ack'), ctx, T0);
    expect(applyCommand(state, cmd(id, 'ack'), ctx, T0).result.code).toBe('YJ_ERR_ALARM_STATE_CONFLICT');
  });
});

describe('closed loop 核实 → 处置 → 反馈 → 销号', () => {
  it('advances in order and refuses out of order, by role, and for unknown alarms', () => {
    const { state, ctx, id } = raised();
    expect(applyCommand(state, cmd(id, 'close'), ctx, T0).result).toMatchObject({
      ok: false,
      code: 'YJ_ERR_ALARM_LOOP_ORDER',
    });
    expect(applyCommand(state, cmd(id, 'verify', 'enterprise'), ctx, T0).result).toMatchObject({
      ok: false,
      code: 'YJ_ERR_ALARM_FORBIDDEN',
    });
    expect(applyCommand(state, cmd(id, 'ack', 'gateway'), ctx, T0).result.code).toBe(
      'YJ_ERR_ALARM_FORBIDDEN',
    );
    expect(applyCommand(state, cmd(`${id}x`, 'ack'), ctx, T0).result.code).toBe('YJ_ERR_ALARM_NOT_FOUND');
    expect(applyCommand(state, cmd(id, 'verify'), ctx, T0).result.ok).toBe(true);
    expect(applyCommand(state, cmd(id, 'feedback', 'operator', { comment: 'x' }), ctx, T0).result.code).toBe(
      'YJ_ERR_ALARM_LOOP_ORDER',
    );
    const steps = (['dispose', 'feedback', 'close'] as const).map((a, i) =>
      applyCommand(
        state,
        cmd(
          id,
          a,
          (['operator', 'regulator', 'admin'] as const)[i],
          a === 'feedback' ? { comment: '已更换探头' } : {},
        ),
        ctx,
        T0 + i,
      ),
    );
    expect(steps.map((s) => s.result.ok)).toEqual([true, true, true]);
    expect(steps.flatMap((s) => s.transitions).map((t) => `${t.transition}:${t.loop}`)).toEqual([
      'dispose:disposed',
      'feedback:fed-back',
      'close:closed',
    ]);
    expect(applyCommand(state, cmd(id, 'verify'), ctx, T0).result.code).toBe('YJ_ERR_ALARM_LOOP_ORDER');
  });

  it('a settled alarm stays addressable for the loop', () => {
    const { state, ctx, id } = raised();
    applyCommand(state, cmd(id, 'ack'), ctx, T0);
    feed(state, ctx, series('CO-1', [10], 10_000, T0 + 10_000));
    expect(applyCommand(state, cmd(id, 'verify'), ctx, T0 + 20_000).result.ok).toBe(true);
    expect(applyCommand(state, cmd(id, 'ack'), ctx, T0 + 20_000).result.code).toBe(
      'YJ_ERR_ALARM_STATE_CONFLICT',
    );
  });

  it('a re-delivered command returns its first result and no transitions', () => {
    const { state, ctx, id } = raised();
    const c = cmd(id, 'ack');
    const first = applyCommand(state, c, ctx, T0);
    const again = applyCommand(state, c, ctx, T0 + 5);
    expect(first.transitions).toHaveLength(1);
    expect(again.transitions).toEqual([]);
    expect(again.result.ok).toBe(true);
  });

  it('late data never re-raises a settled alarm', () => {
    const { state, ctx, id } = raised();
    applyCommand(state, cmd(id, 'ack'), ctx, T0);
    feed(state, ctx, series('CO-1', [10], 10_000, T0 + 20_000));
    expect(feed(state, ctx, series('CO-1', [300], 10_000, T0 + 10_000))).toEqual([]);
    expect(state.outOfOrder).toBe(1);
  });
});
