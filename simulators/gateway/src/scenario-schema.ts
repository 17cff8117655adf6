import { parseDurationMs } from '@yujing/config';
import {
  AlarmKind,
  AlarmLevel,
  ClassCode,
  Industry,
  LocalId,
  POINT_KIND_IDS,
  Quality,
} from '@yujing/schemas';
import { z } from 'zod';

/**
 * Declarative scenario files (simulators/scenarios/*.yaml). A scenario picks an enterprise of
 * the fleet and named targets in it (points, a voting group, a gateway), scripts what happens to
 * them over time, and declares what the system must produce: the alarms (kind, rule, level),
 * the alarms that must NOT appear, dead letters and stored readings.
 */

/** 500, "500ms", "30s", "2m": a duration, in milliseconds. */
export const Duration = z.union([z.number().int().nonnegative(), z.string()]).transform((raw, ctx) => {
  if (typeof raw === 'number') return raw;
  const ms = parseDurationMs(raw);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 500ms, 30s or 2m, got "${raw}"` });
    return z.NEVER;
  }
  return ms;
});

const Alias = z.string().regex(/^[a-z][a-z0-9-]*$/, 'target names are lowercase words (a-z, 0-9, -)');

export const EnterpriseSelector = z.strictObject({
  id: z.string().optional().describe('a fixed enterprise; otherwise the first that has every target'),
  industry: Industry.optional(),
  classification: z
    .array(ClassCode)
    .min(1)
    .optional()
    .describe('allowed class letters (levels depend on them)'),
});

export const PointTarget = z.strictObject({
  select: z.literal('point'),
  kind: z.enum(POINT_KIND_IDS),
  code: LocalId.optional(),
  sameEquipmentAs: Alias.optional().describe('on the same equipment (else area) as an earlier point target'),
});
export const GroupTarget = z.strictObject({
  select: z.literal('group'),
  kind: z.enum(POINT_KIND_IDS),
  size: z.number().int().min(2).describe('a voting group with at least this many points; takes this many'),
});
export const GatewayTarget = z.strictObject({
  select: z.literal('gateway'),
  of: Alias.describe('the gateway of this earlier point or group target'),
});
export const ScenarioTarget = z.discriminatedUnion('select', [PointTarget, GroupTarget, GatewayTarget]);
export type ScenarioTarget = z.infer<typeof ScenarioTarget>;

const stepBase = {
  at: Duration.describe('offset from the scenario start'),
  target: Alias,
  members: z.array(z.number().int().nonnegative()).optional().describe('for a group target: which members'),
};

export const MalformedVariant = z.enum([
  'invalid-json',
  'schema',
  'unknown-point',
  'non-finite',
  'stale-timestamp',
  'future-timestamp',
  'too-many-readings',
  'oversize',
]);
export type MalformedVariant = z.infer<typeof MalformedVariant>;

export const ScenarioStep = z.discriminatedUnion('do', [
  z.strictObject({
    ...stepBase,
    do: z.literal('ramp'),
    to: z.number(),
    over: Duration,
    hold: Duration.default(0),
    back: Duration.optional().describe('time to return to normal; default = over'),
  }),
  z.strictObject({ ...stepBase, do: z.literal('set'), value: z.number(), for: Duration }),
  z.strictObject({ ...stepBase, do: z.literal('freeze'), for: Duration }),
  z.strictObject({ ...stepBase, do: z.literal('quality'), q: Quality, for: Duration }),
  z.strictObject({
    ...stepBase,
    do: z.literal('phase'),
    phase: z.enum(['idle', 'pre-cast', 'casting', 'end', 'starting', 'running', 'purging', 'stopped']),
    for: Duration,
  }),
  z.strictObject({ ...stepBase, do: z.literal('offline'), for: Duration }),
  z.strictObject({ ...stepBase, do: z.literal('hold-back'), for: Duration }),
  z.strictObject({
    ...stepBase,
    do: z.literal('backfill'),
    ago: Duration.describe('start of the back-filled window, before now'),
    span: Duration,
  }),
  z.strictObject({ ...stepBase, do: z.literal('malformed'), variants: z.array(MalformedVariant).min(1) }),
]);
export type ScenarioStep = z.infer<typeof ScenarioStep>;

export const ExpectedAlarm = z.strictObject({
  target: Alias,
  member: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('for a group target: a member point (else the vote)'),
  kind: AlarmKind,
  rule: LocalId.optional(),
  level: AlarmLevel.optional().describe('a raise or escalation must reach this level'),
});
export type ExpectedAlarm = z.infer<typeof ExpectedAlarm>;

export const Scenario = z
  .strictObject({
    id: LocalId,
    title: z.string().min(1),
    description: z.string().optional(),
    enterprise: EnterpriseSelector.default({}),
    targets: z.record(Alias, ScenarioTarget),
    steps: z.array(ScenarioStep).min(1),
    settle: Duration.default(30_000).describe('how long after the last step the expectations may take'),
    expect: z.strictObject({
      alarms: z.array(ExpectedAlarm).default([]),
      absent: z.array(z.strictObject({ target: Alias, rule: LocalId.optional() })).default([]),
      deadLetters: z.number().int().nonnegative().default(0).describe('dead letters from the target gateway'),
      backfilledReadingsStored: z.boolean().default(false),
      delivered: z.boolean().default(false).describe('at least one webhook delivery for the expected alarms'),
    }),
  })
  .superRefine((s, ctx) => {
    const names = Object.keys(s.targets);
    names.forEach((name, i) => {
      const t = s.targets[name]!;
      const ref = t.select === 'gateway' ? t.of : t.select === 'point' ? t.sameEquipmentAs : undefined;
      if (ref !== undefined && !names.slice(0, i).includes(ref))
        ctx.addIssue({
          code: 'custom',
          path: ['targets', name],
          message: `refers to "${ref}", which is not an earlier target`,
        });
    });
    const known = new Set(names);
    s.steps.forEach((step, i) => {
      if (!known.has(step.target))
        ctx.addIssue({
          code: 'custom',
          path: ['steps', i, 'target'],
          message: `unknown target "${step.target}"`,
        });
    });
    for (const [section, list] of [
      ['alarms', s.expect.alarms],
      ['absent', s.expect.absent],
    ] as const) {
      list.forEach((e, i) => {
        if (!known.has(e.target))
          ctx.addIssue({
            code: 'custom',
            path: ['expect', section, i, 'target'],
            message: `unknown target "${e.target}"`,
          });
      });
    }
  });
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

/** When the last step of a scenario ends, from its start. */
export function scenarioLengthMs(s: Scenario): number {
  return Math.max(...s.steps.map((step) => step.at + stepLengthMs(step)));
}

export function stepLengthMs(step: ScenarioStep): number {
  switch (step.do) {
    case 'ramp':
      return step.over + step.hold + (step.back ?? step.over);
    case 'set':
    case 'freeze':
    case 'quality':
    case 'phase':
    case 'offline':
    case 'hold-back':
      return step.for;
    case 'backfill':
    case 'malformed':
      return 0;
  }
}
