import type { AlarmAction, AlarmCommand, EscalationPolicy } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  compileEnterprise,
  createEnterpriseState,
  restoreState,
  snapshotState,
  tick,
} from '../src/index';
import { coPoint, EID, feed, reading, series, T0 } from './fixture-points';

const MIN = 60_000;
/** Level 3 deadlines of the test policy: verify 10 min, dispose 20, feedback 30, close 40 after the raise. */
const POLICY: Pick<EscalationPolicy, 'classification' | 'levels' | 'closedLoop'> = {
  classification: ['B'],
  levels: [3],
  closedLoop: {
    verifyWithinMs: 10 * MIN,
    disposeWithinMs: 20 * MIN,
    feedbackWithinMs: 30 * MIN,
    closeWithinMs: 40 * MIN,
  },
};

const ENTERPRISE = {
  region: { province: '140000', city: '140100', county: '140105' },
  classification: { scheme: 'shanxi-yjgm-2024', code: 'B' as const, rank: 2 },
};

function context(policies = [POLICY], points = [coPoint()]) {
  return compileEnterprise({
    enterpriseId: EID,
    enterprise: ENTERPRISE,
    points,
    gateways: [{ id: 'gw-01', heartbeatTimeoutMs: 60_000 }],
    policies,
  });
}

let n = 0;
function cmd(alarmId: string, action: AlarmAction, extra: Partial<AlarmCommand> = {}): AlarmCommand {
  n++;
  return {
    commandId: `loop-cmd-${String(n).padStart(6, '0')}`,
    alarmId,
    enterpriseId: EID,
    action,
    actor: { id: 'u-loop', role: 'regulator', name: '王监管' },
    issuedAt: T0,
    ...extra,
  };
}

/** Raises CO-1 at T0 (level 3), acknowledges it and lets it return: a settled alarm with an open loop. */
function settledOpenLoop(ctx = context()) {
  const state = createEnterpriseState(EID);
  const [raise] = feed(state, ctx, series('CO-1', [30]));
  const id = raise!.alarmId;
  applyCommand(state, cmd(id, 'ack'), ctx, T0 + 1_000);
  feed(state, ctx, series('CO-1', [10], 10_000, T0 + 10_000));
  return { state, ctx, id };
}

describe('closed loop: who, when, what and the next deadline', () => {
  it('records actor, text and attachments by reference, and names the next step and its deadline', () => {
    const { state, ctx, id } = settledOpenLoop();
    const photo = { name: '现场照片-1.jpg', ref: 'docstore://loops/a1/photo-1.jpg', mediaType: 'image/jpeg' };
    const verify = applyCommand(state, cmd(id, 'verify', { comment: '现场确认报警属实' }), ctx, T0 + MIN);
    expect(verify.transitions[0]).toMatchObject({
      transition: 'verify',
      loop: 'verified',
      actor: { id: 'u-loop', role: 'regulator', name: '王监管' },
      comment: '现场确认报警属实',
      loopDue: { step: 'dispose', dueAt: T0 + 20 * MIN },
    });
    applyCommand(state, cmd(id, 'dispose'), ctx, T0 + 2 * MIN);
    const fb = applyCommand(
      state,
      cmd(id, 'feedback', { comment: '已更换密封垫，复测 8 ppm', attachments: [photo] }),
      ctx,
      T0 + 3 * MIN,
    );
    expect(fb.result.ok).toBe(true);
    expect(fb.transitions[0]).toMatchObject({
      transition: 'feedback',
      loop: 'fed-back',
      attachments: [photo],
      loopDue: { step: 'close', dueAt: T0 + 40 * MIN },
    });
    const close = applyCommand(state, cmd(id, 'close'), ctx, T0 + 4 * MIN);
    expect(close.transitions[0]).toMatchObject({ transition: 'close', loop: 'closed' });
    expect(close.transitions[0]!.loopDue).toBeUndefined();
  });

  it('a policy without a feedback deadline gives 反馈 the 销号 deadline', () => {
    const { feedbackWithinMs: _, ...rest } = POLICY.closedLoop!;
    const { state, ctx, id } = settledOpenLoop(context([{ ...POLICY, closedLoop: rest }]));
    applyCommand(state, cmd(id, 'verify'), ctx, T0);
    const d = applyCommand(state, cmd(id, 'dispose'), ctx, T0);
    expect(d.transitions[0]!.loopDue).toEqual({ step: 'feedback', dueAt: T0 + 40 * MIN });
  });
});

describe('overdue closed-loop steps (supervision)', () => {
  it('announces each missed step once, at its deadline, and nothing for a step done in time', () => {
    const { state, ctx, id } = settledOpenLoop();
    // The silent gateway raises its own alarm (with its own loop) meanwhile: look at CO-1's only.
    const overdue = (now: number) =>
      tick(state, ctx, now).transitions.filter((t) => t.transition === 'loop-overdue' && t.alarmId === id);
    expect(overdue(T0 + 10 * MIN)).toEqual([]);
    const late = overdue(T0 + 10 * MIN + 1);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      alarmId: id,
      loop: 'open',
      eventTime: T0 + 10 * MIN,
      loopDue: { step: 'verify', dueAt: T0 + 10 * MIN },
    });
    expect(overdue(T0 + 11 * MIN)).toEqual([]);
    // Verified late, disposed in time: the dispose deadline raises nothing, the feedback one does.
    applyCommand(state, cmd(id, 'verify'), ctx, T0 + 12 * MIN);
    applyCommand(state, cmd(id, 'dispose'), ctx, T0 + 15 * MIN);
    expect(overdue(T0 + 25 * MIN)).toEqual([]);
    expect(overdue(T0 + 31 * MIN).map((t) => t.loopDue?.step)).toEqual(['feedback']);
    applyCommand(state, cmd(id, 'feedback', { comment: '整改完成' }), ctx, T0 + 32 * MIN);
    applyCommand(state, cmd(id, 'close'), ctx, T0 + 33 * MIN);
    expect(overdue(T0 + 99 * MIN)).toEqual([]);
  });

  it('raises nothing where no policy gives deadlines', () => {
    const { state, ctx } = settledOpenLoop(context([]));
    const out = tick(state, ctx, T0 + 999 * MIN).transitions;
    expect(out.map((t) => t.transition)).toEqual(['raise']); // the gateway-offline alarm, nothing overdue
  });

  it('remembers announced steps across a snapshot, and reads snapshots written before overdueIndex', () => {
    const { state, ctx, id } = settledOpenLoop();
    const mine = (out: { transitions: { alarmId: string; transition: string }[] }) =>
      out.transitions.filter((t) => t.alarmId === id).map((t) => t.transition);
    expect(mine(tick(state, ctx, T0 + 10 * MIN + 1))).toEqual(['loop-overdue']);
    const restored = restoreState(JSON.parse(JSON.stringify(snapshotState(state))));
    expect(mine(tick(restored, ctx, T0 + 12 * MIN))).toEqual([]);
    const old = snapshotState(settledOpenLoop().state);
    for (const rec of old.alarms) delete (rec as { overdueIndex?: number }).overdueIndex;
    const fromOld = restoreState(JSON.parse(JSON.stringify(old)));
    expect(mine(tick(fromOld, ctx, T0 + 10 * MIN + 1))).toEqual(['loop-overdue']);
  });
});

describe('no open loop is evicted', () => {
  it('keeps every settled alarm whose loop is open beyond maxSettledAlarms, and evicts closed ones', () => {
    const ctx = compileEnterprise({
      enterpriseId: EID,
      enterprise: ENTERPRISE,
      points: [coPoint()],
      gateways: [{ id: 'gw-01', heartbeatTimeoutMs: 60_000 }],
      policies: [POLICY],
      options: { maxSettledAlarms: 500 },
    });
    const state = createEnterpriseState(EID);
    const ids: string[] = [];
    for (let i = 0; i < 600; i++) {
      const t = T0 + i * 60_000;
      const [raise] = feed(state, ctx, [reading('CO-1', t, 30)]);
      ids.push(raise!.alarmId);
      applyCommand(state, cmd(raise!.alarmId, 'ack'), ctx, t + 1);
      feed(state, ctx, [reading('CO-1', t + 10_000, 10)]);
    }
    expect(state.alarms.size).toBe(600);
    const oldest = ids[0]!;
    for (const [i, action] of (['verify', 'dispose', 'feedback', 'close'] as const).entries()) {
      const r = applyCommand(state, cmd(oldest, action, { comment: `step ${i}` }), ctx, T0 + 700 * MIN);
      expect(r.result).toMatchObject({ ok: true });
    }
    // The closed one may now go: 599 open loops stay, all addressable.
    expect(state.alarms.has(oldest)).toBe(false);
    expect(state.alarms.size).toBe(599);
    expect(applyCommand(state, cmd(ids[1]!, 'verify'), ctx, T0 + 700 * MIN).result.ok).toBe(true);
  });
});

describe('gateway offline inhibits its points no-data alarms', () => {
  const nd = { id: 'nodata', enabled: true, type: 'no-data', afterPeriods: 3, level: 3 } as const;
  const points = Array.from({ length: 50 }, (_, i) => coPoint(`P-${i}`, [nd]));

  it('a silent gateway gives one gateway-offline alarm, not one no-data alarm per point', () => {
    const ctx = context([], points);
    const state = createEnterpriseState(EID);
    feed(
      state,
      ctx,
      points.map((p) => reading(p.code, T0, 5)),
    );
    const out = [30_001, 45_000, 60_001, 120_000].flatMap((dt) => tick(state, ctx, T0 + dt).transitions);
    expect(out.map((t) => `${t.kind}:${t.transition}`)).toEqual(['gateway-offline:raise']);
  });

  it('a point that reported a few seconds before the gateway’s last batch is held back too', () => {
    const ctx = context([], points);
    const state = createEnterpriseState(EID);
    feed(state, ctx, [reading('P-0', T0, 5)]);
    // Other points report on their own phase, 7 s later; then the line drops.
    feed(
      state,
      ctx,
      points.slice(1).map((p) => reading(p.code, T0 + 7_000, 5)),
    );
    const out = [30_001, 37_001, 50_000, 67_001].flatMap((dt) => tick(state, ctx, T0 + dt).transitions);
    expect(out.map((t) => `${t.kind}:${t.transition}`)).toEqual(['gateway-offline:raise']);
  });

  it('a gateway back from an outage does not make its points that have not reported yet look silent', () => {
    const ctx = context([], points);
    const state = createEnterpriseState(EID);
    feed(
      state,
      ctx,
      points.map((p) => reading(p.code, T0, 5)),
    );
    expect(tick(state, ctx, T0 + 100_000).transitions.map((t) => t.kind)).toEqual(['gateway-offline']);
    // Back after 100 s: the first batch carries only P-1 (points report on their own phase).
    const back = feed(state, ctx, [reading('P-1', T0 + 100_000, 5)]);
    expect(back.map((t) => `${t.kind}:${t.transition}`)).toEqual(['gateway-offline:rtn']);
    expect(tick(state, ctx, T0 + 101_000).transitions).toEqual([]);
    // P-0 stays silent for the no-data delay after the gateway's return: now it is its own silence.
    feed(
      state,
      ctx,
      points.slice(1).map((p) => reading(p.code, T0 + 120_000, 5)),
    );
    const out = tick(state, ctx, T0 + 130_001).transitions;
    expect(out.map((t) => `${t.point}:${t.transition}`)).toEqual(['P-0:raise']);
    expect(out[0]!.alarmId).toBe(`${EID}:P-0:nodata:${T0 + 130_000}`);
  });

  it('a point silent while its gateway sends other points raises its own no-data alarm', () => {
    const ctx = context([], points);
    const state = createEnterpriseState(EID);
    feed(
      state,
      ctx,
      points.map((p) => reading(p.code, T0, 5)),
    );
    feed(
      state,
      ctx,
      points.slice(1).map((p) => reading(p.code, T0 + 20_000, 5)),
    );
    const out = tick(state, ctx, T0 + 30_001).transitions;
    expect(out.map((t) => `${t.point}:${t.transition}`)).toEqual(['P-0:raise']);
  });
});
