import { EscalationPolicy } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import {
  alarmDigest,
  deliveryIdFor,
  escalationJobId,
  type PlanInput,
  planJobIds,
  planSteps,
  reminderGapMs,
  reminderJob,
  stepEvent,
} from '../src/escalation-plan';

const policy = EscalationPolicy.parse({
  id: 'a-level-1',
  classification: ['A'],
  levels: [1],
  steps: [
    { afterMs: 0, notify: 'enterprise' },
    { afterMs: 0, notify: 'county' },
    { afterMs: 900_000, notify: 'city' },
    { afterMs: 1_800_000, notify: 'province', unless: 'cleared' },
  ],
  reminder: { firstMs: 60_000, factor: 2, maxMs: 300_000, maxCount: 5 },
});
const ALARM = '140105YJ001:CO-BF1-003:co-high:1764295200000';
const input: PlanInput = {
  alarmId: ALARM,
  enterpriseId: '140105YJ001',
  policy,
  planVersion: 7,
  origin: 'raise',
  baseMs: 1_000_000,
};

describe('planSteps', () => {
  it('schedules every step of the policy relative to the plan base, in order', () => {
    const steps = planSteps(input);
    expect(steps.map((s) => [s.stepIndex, s.target, s.dueAt - input.baseMs, s.unless])).toEqual([
      [0, 'enterprise', 0, 'acknowledged'],
      [1, 'county', 0, 'acknowledged'],
      [2, 'city', 900_000, 'acknowledged'],
      [3, 'province', 1_800_000, 'cleared'],
    ]);
    expect(new Set(steps.map((s) => s.planVersion))).toEqual(new Set([7]));
  });

  it('names steps at the raise alarm.raised and later ones alarm.escalated; a re-plan only escalates', () => {
    const [ent, , city] = planSteps(input);
    expect(ent && stepEvent(ent, input.baseMs)).toBe('alarm.raised');
    expect(city && stepEvent(city, input.baseMs)).toBe('alarm.escalated');
    const [replanned] = planSteps({ ...input, origin: 'escalate' });
    expect(replanned && stepEvent(replanned, input.baseMs)).toBe('alarm.escalated');
  });
});

describe('reminders', () => {
  it.each([
    [0, 60_000],
    [1, 120_000],
    [2, 240_000],
    [3, 300_000],
    [4, 300_000],
  ])('gap before reminder %i is %i ms (×factor, capped at maxMs)', (n, gap) => {
    expect(reminderGapMs(policy.reminder as NonNullable<typeof policy.reminder>, n)).toBe(gap);
  });

  it('chains reminders from the previous due time and stops after maxCount', () => {
    const r0 = reminderJob(input, 0);
    const r1 = reminderJob(input, 1, r0?.dueAt);
    expect(r0?.dueAt).toBe(input.baseMs + 60_000);
    expect(r1?.dueAt).toBe(input.baseMs + 60_000 + 120_000);
    expect(r1?.kind).toBe('reminder');
    expect(reminderJob(input, 5)).toBeUndefined();
    expect(reminderJob({ ...input, policy: { ...policy, reminder: undefined } }, 0)).toBeUndefined();
  });
});

describe('job and delivery ids', () => {
  it('never contain ":" (BullMQ) and are stable for the same alarm, plan and step', () => {
    const id = escalationJobId({ alarmId: ALARM, planVersion: 7, kind: 'step', stepIndex: 2 });
    expect(id).not.toContain(':');
    expect(id).toBe(escalationJobId({ alarmId: ALARM, planVersion: 7, kind: 'step', stepIndex: 2 }));
    expect(id).toContain(alarmDigest(ALARM));
  });

  it('differ by plan version, kind, step and alarm', () => {
    const ids = new Set([
      escalationJobId({ alarmId: ALARM, planVersion: 7, kind: 'step', stepIndex: 2 }),
      escalationJobId({ alarmId: ALARM, planVersion: 8, kind: 'step', stepIndex: 2 }),
      escalationJobId({ alarmId: ALARM, planVersion: 7, kind: 'reminder', stepIndex: 2 }),
      escalationJobId({ alarmId: ALARM, planVersion: 7, kind: 'step', stepIndex: 3 }),
      escalationJobId({ alarmId: `${ALARM}1`, planVersion: 7, kind: 'step', stepIndex: 2 }),
    ]);
    expect(ids.size).toBe(5);
  });

  it('lists every job a plan may have queued', () => {
    const ids = planJobIds(ALARM, 7, 4, 5);
    expect(ids).toHaveLength(9);
    expect(ids).toContain(
      escalationJobId({ alarmId: ALARM, planVersion: 7, kind: 'reminder', stepIndex: 4 }),
    );
  });

  it('derives delivery ids from alarm, cause and subscriber', () => {
    const a = deliveryIdFor(ALARM, 'p7-s1', 'county-140105');
    expect(a).toMatch(/^dlv-[0-9a-f]{32}$/);
    expect(deliveryIdFor(ALARM, 'p7-s1', 'county-140105')).toBe(a);
    expect(deliveryIdFor(ALARM, 'p7-s2', 'county-140105')).not.toBe(a);
    expect(deliveryIdFor(ALARM, 'p7-s1', 'city-140100')).not.toBe(a);
  });
});
