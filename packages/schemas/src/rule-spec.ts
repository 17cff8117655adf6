import { z } from 'zod';
import { AlarmLevel, DurationMs, LocalId } from './primitives';

/**
 * Rule specifications: what rules-core evaluates. A template lists rules; a point may override
 * fields of a rule by id. Every rule has an id unique within its point (used in alarm ids).
 */

export const LimitName = z.enum(['hh', 'h', 'l', 'll']);
export type LimitName = z.infer<typeof LimitName>;

export const Limits = z
  .object({
    hh: z.number().optional(),
    h: z.number().optional(),
    l: z.number().optional(),
    ll: z.number().optional(),
  })
  .superRefine((lim, ctx) => {
    const order: LimitName[] = ['ll', 'l', 'h', 'hh'];
    const present = order.filter((n) => lim[n] !== undefined);
    for (let i = 1; i < present.length; i++) {
      const lo = present[i - 1]!;
      const hi = present[i]!;
      if ((lim[lo] as number) >= (lim[hi] as number)) {
        ctx.addIssue({
          code: 'custom',
          path: [hi],
          message: `limit ${hi} (${lim[hi]}) must be above ${lo} (${lim[lo]})`,
        });
      }
    }
  });
export type Limits = z.infer<typeof Limits>;

const ruleBase = {
  id: LocalId.describe('rule id, unique within the point; part of the alarm id'),
  enabled: z.boolean().default(true),
};

/** Up to four limits mapped to levels, with deadband on clearing and on/off delays. */
export const ThresholdRule = z.object({
  ...ruleBase,
  type: z.literal('threshold'),
  limits: Limits.optional().describe("explicit limits; absent = the point's design limits"),
  levels: z
    .object({
      hh: AlarmLevel.optional(),
      h: AlarmLevel.optional(),
      l: AlarmLevel.optional(),
      ll: AlarmLevel.optional(),
    })
    .default({ hh: 1, h: 2, l: 2, ll: 1 }),
  deadband: z
    .number()
    .nonnegative()
    .optional()
    .describe("absolute, in the point unit; absent = the point's deadband"),
  onDelayMs: DurationMs.optional(),
  offDelayMs: DurationMs.optional(),
});

/** Change over a time window, in units per minute. */
export const RateOfChangeRule = z
  .object({
    ...ruleBase,
    type: z.literal('rate-of-change'),
    windowMs: DurationMs.min(1000),
    risePerMin: z.number().positive().optional(),
    dropPerMin: z.number().positive().optional(),
    level: AlarmLevel,
  })
  .refine((r) => r.risePerMin !== undefined || r.dropPerMin !== undefined, {
    message: 'rate-of-change needs risePerMin or dropPerMin',
    path: ['risePerMin'],
  });

/** Sliding-window mean and slope with bounded memory. */
export const TrendRule = z
  .object({
    ...ruleBase,
    type: z.literal('trend'),
    windowMs: DurationMs.min(1000),
    maxSamples: z.number().int().min(2).max(120).default(30).describe('memory bound per point'),
    meanAbove: z.number().optional(),
    meanBelow: z.number().optional(),
    slopeAbovePerMin: z.number().optional(),
    slopeBelowPerMin: z.number().optional(),
    level: AlarmLevel,
  })
  .refine(
    (r) => [r.meanAbove, r.meanBelow, r.slopeAbovePerMin, r.slopeBelowPerMin].some((x) => x !== undefined),
    {
      message: 'trend needs at least one of meanAbove, meanBelow, slopeAbovePerMin, slopeBelowPerMin',
      path: ['meanAbove'],
    },
  );

/** No reading for N sampling periods (wall clock). */
export const NoDataRule = z.object({
  ...ruleBase,
  type: z.literal('no-data'),
  afterPeriods: z.number().min(1).default(3),
  level: AlarmLevel.default(3),
});

/** Sensor fault: out of the instrument range, frozen value, bad quality. */
export const SensorFaultRule = z.object({
  ...ruleBase,
  type: z.literal('sensor-fault'),
  outOfRange: z.boolean().default(true),
  badQuality: z.boolean().default(true),
  frozen: z
    .object({ samples: z.number().int().min(2).optional(), durationMs: DurationMs.optional() })
    .optional()
    .describe('unchanged value for N samples or T ms counts as frozen'),
  level: AlarmLevel.default(4),
});

export const Comparison = z.object({
  point: z
    .string()
    .regex(
      /^(@[a-z][a-z0-9-]*|[A-Za-z0-9][A-Za-z0-9._-]*)$/,
      'expected a point code, "self", or "@<point-kind>" (templates only)',
    )
    .describe(
      'point code in the same enterprise; "self" for the point owning the rule; in templates "@<kind>" = the point of that kind on the same equipment (else area), resolved by the registry',
    ),
  op: z.enum(['>', '>=', '<', '<=', '==', '!=']),
  value: z.number(),
});
export type Comparison = z.infer<typeof Comparison>;

/** A and B both true within Δt (e.g. hopper temperature high while the airlock is stopped). */
export const CombinationRule = z.object({
  ...ruleBase,
  type: z.literal('combination'),
  a: Comparison,
  b: Comparison,
  withinMs: DurationMs,
  level: AlarmLevel,
});

/** M-out-of-N voting over a point's voting group; a faulted detector counts as voting. */
export const VoteRule = z.object({
  ...ruleBase,
  type: z.literal('vote'),
  m: z.number().int().min(1),
  limit: LimitName.default('hh').describe('which limit a member must exceed to vote'),
  level: AlarmLevel,
});

export const RuleSpec = z.discriminatedUnion('type', [
  ThresholdRule,
  RateOfChangeRule,
  TrendRule,
  NoDataRule,
  SensorFaultRule,
  CombinationRule,
  VoteRule,
]);
export type RuleSpec = z.infer<typeof RuleSpec>;
export type RuleType = RuleSpec['type'];
export type ThresholdRule = z.infer<typeof ThresholdRule>;
export type RateOfChangeRule = z.infer<typeof RateOfChangeRule>;
export type TrendRule = z.infer<typeof TrendRule>;
export type NoDataRule = z.infer<typeof NoDataRule>;
export type SensorFaultRule = z.infer<typeof SensorFaultRule>;
export type CombinationRule = z.infer<typeof CombinationRule>;
export type VoteRule = z.infer<typeof VoteRule>;

/** A per-point or per-variant override of a template rule, matched by id; fields replace. */
export const RuleOverride = z.looseObject({
  id: LocalId,
  enabled: z.boolean().optional(),
  level: AlarmLevel.optional(),
});
export type RuleOverride = z.infer<typeof RuleOverride>;
