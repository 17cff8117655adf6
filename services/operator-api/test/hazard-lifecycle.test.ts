import type { Actor, HazardRecord } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { criterionFor, HAZARD_CRITERIA } from '../src/hazards/hazard-criteria';
import {
  applyHazardAction,
  type HazardCommand,
  isOverdue,
  reportHazard,
} from '../src/hazards/hazard-lifecycle';

const T0 = Date.parse('2026-12-01T02:00:00Z');
const DAY = 86_400_000;
const regulator: Actor = { id: 'reg-ty', role: 'regulator' };
const regulator2: Actor = { id: 'reg-ty-2', role: 'regulator' };
const enterprise: Actor = { id: 'ent-ty', role: 'enterprise' };
const operator: Actor = { id: 'op-1', role: 'operator' };

function reported(): HazardRecord {
  const out = reportHazard(
    {
      id: 'hz-1',
      writeId: 'w1',
      enterpriseId: '140105TY001',
      criterionId: 'steel-water-cooled-elements',
      title: '转炉水冷元件无监测报警',
      source: { kind: 'alarm', alarmId: '140105TY001:WT-1:high' },
    },
    operator,
    T0,
  );
  if (!out.ok) throw new Error(out.message);
  return out.record;
}

function step(h: HazardRecord, cmd: HazardCommand, actor: Actor, at = T0 + 1000): HazardRecord {
  const out = applyHazardAction(h, cmd, actor, at, `w-${h.version + 1}`);
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  return out.record;
}

const confirm: HazardCommand = { action: 'confirm', deadline: T0 + 7 * DAY, responsible: { name: '李四' } };

describe('hazard state machine', () => {
  it('goes reported → confirmed → rectifying → rectified → closed with who and when', () => {
    let h = reported();
    expect(h).toMatchObject({ state: 'reported', version: 1 });
    h = step(h, confirm, regulator);
    expect(h).toMatchObject({
      state: 'confirmed',
      version: 2,
      deadline: T0 + 7 * DAY,
      confirmedAt: T0 + 1000,
    });
    h = step(h, { action: 'plan', plan: '加装出水温度和流量差监测并联锁' }, enterprise);
    expect(h.state).toBe('rectifying');
    h = step(
      h,
      { action: 'rectified', comment: '已加装', attachments: ['oss://photos/1.jpg'] },
      enterprise,
      T0 + DAY,
    );
    expect(h).toMatchObject({ state: 'rectified', rectifiedAt: T0 + DAY });
    h = step(h, { action: 'verify', comment: '现场复核合格' }, regulator, T0 + 2 * DAY);
    expect(h).toMatchObject({ state: 'closed', closedAt: T0 + 2 * DAY, version: 5 });
    expect(h.history.map((e) => `${e.from ?? '-'}>${e.to} ${e.actor.id}`)).toEqual([
      '->reported op-1',
      'reported>confirmed reg-ty',
      'confirmed>rectifying ent-ty',
      'rectifying>rectified ent-ty',
      'rectified>closed reg-ty',
    ]);
    expect(h.history[3]?.attachments).toEqual(['oss://photos/1.jpg']);
  });

  it('refuses an action from the wrong state', () => {
    const out = applyHazardAction(reported(), { action: 'verify' }, regulator, T0, 'w');
    expect(out).toMatchObject({ ok: false, code: 'YJ_ERR_HAZARD_TRANSITION' });
  });

  it('leaves confirm, reject and verify to the regulator; the enterprise plans and rectifies', () => {
    expect(applyHazardAction(reported(), confirm, enterprise, T0, 'w')).toMatchObject({
      ok: false,
      code: 'YJ_ERR_HAZARD_FORBIDDEN',
    });
    expect(applyHazardAction(reported(), confirm, operator, T0, 'w')).toMatchObject({ ok: false });
    const confirmed = step(reported(), confirm, regulator);
    expect(applyHazardAction(confirmed, { action: 'plan', plan: 'x' }, operator, T0, 'w')).toMatchObject({
      ok: false,
      code: 'YJ_ERR_HAZARD_FORBIDDEN',
    });
  });

  it('does not let the one who reported the rectification verify it', () => {
    let h = step(reported(), confirm, regulator);
    h = step(h, { action: 'plan', plan: '整改' }, regulator);
    h = step(h, { action: 'rectified', comment: '已整改' }, regulator);
    expect(applyHazardAction(h, { action: 'verify' }, regulator, T0, 'w')).toMatchObject({
      ok: false,
      code: 'YJ_ERR_HAZARD_FORBIDDEN',
    });
    expect(step(h, { action: 'verify' }, regulator2).state).toBe('closed');
  });

  it('needs a future deadline and a responsible person to confirm, a reason to reject or reopen', () => {
    expect(
      applyHazardAction(reported(), { action: 'confirm', deadline: T0 + DAY }, regulator, T0, 'w'),
    ).toMatchObject({
      ok: false,
      code: 'YJ_ERR_HAZARD_INPUT',
    });
    expect(applyHazardAction(reported(), { ...confirm, deadline: T0 - 1 }, regulator, T0, 'w')).toMatchObject(
      { ok: false, code: 'YJ_ERR_HAZARD_INPUT' },
    );
    expect(applyHazardAction(reported(), { action: 'reject' }, regulator, T0, 'w')).toMatchObject({
      ok: false,
      code: 'YJ_ERR_HAZARD_INPUT',
    });
    expect(step(reported(), { action: 'reject', comment: '不构成重大隐患' }, regulator).state).toBe(
      'rejected',
    );
  });

  it('reopens a rectification that fails verification', () => {
    let h = step(reported(), confirm, regulator);
    h = step(h, { action: 'plan', plan: '整改' }, enterprise);
    h = step(h, { action: 'rectified', comment: '已整改' }, enterprise);
    h = step(h, { action: 'reopen', comment: '联锁未投入' }, regulator);
    expect(h.state).toBe('rectifying');
    expect(h.rectifiedAt).toBeUndefined();
  });

  it('is overdue past its deadline until reported rectified', () => {
    const h = step(reported(), confirm, regulator);
    expect(isOverdue(h, T0 + 7 * DAY)).toBe(false);
    expect(isOverdue(h, T0 + 7 * DAY + 1)).toBe(true);
    const planned = step(h, { action: 'plan', plan: '整改' }, enterprise);
    expect(isOverdue(planned, T0 + 8 * DAY)).toBe(true);
    const done = step(planned, { action: 'rectified', comment: '已整改' }, enterprise);
    expect(isOverdue(done, T0 + 8 * DAY)).toBe(false);
  });

  it('lets only regulators register from an inspector entry, and never the enterprise', () => {
    const input = {
      id: 'hz-2',
      writeId: 'w',
      enterpriseId: '140105TY001',
      criterionId: 'steel-water-cooled-elements',
      title: 't',
      source: { kind: 'inspector' as const },
    };
    expect(reportHazard(input, operator, T0)).toMatchObject({ ok: false, code: 'YJ_ERR_HAZARD_FORBIDDEN' });
    expect(reportHazard(input, regulator, T0).ok).toBe(true);
    expect(reportHazard({ ...input, source: { kind: 'alarm', alarmId: 'a' } }, enterprise, T0)).toMatchObject(
      { ok: false },
    );
  });
});

describe('criteria catalogue', () => {
  it('names a clause only for entries verified in the official text', () => {
    for (const c of HAZARD_CRITERIA) {
      if (c.clause !== null) expect(c.tag, c.id).toBe('[V]');
      expect(c.source.length, c.id).toBeGreaterThan(0);
    }
    expect(new Set(HAZARD_CRITERIA.map((c) => c.id)).size).toBe(HAZARD_CRITERIA.length);
  });

  it('applies a criterion only to its industries', () => {
    expect(criterionFor('dust-no-explosion-protection', ['metal-dust'])?.clause).toBe('第十一条(三)');
    expect(criterionFor('dust-no-explosion-protection', ['steel'])).toBeUndefined();
    expect(criterionFor('no-such-criterion', ['steel'])).toBeUndefined();
  });
});
