import { z } from 'zod';
import { POINT_KIND_IDS } from './point-kind-catalogue';
import { DurationMs, LocalId } from './primitives';
import { Limits, RuleSpec } from './rule-spec';

/**
 * A point as the rules engine sees it: the registry point with its template, classification
 * variant and per-point overrides resolved into concrete rules, levels already mapped for the
 * enterprise's classification. Produced by @yujing/registry, consumed by rules-core.
 */
export const EffectivePoint = z.object({
  enterpriseId: z.string().min(1),
  code: LocalId,
  kind: z.enum(POINT_KIND_IDS),
  unit: z.string(),
  gatewayId: LocalId,
  range: z.object({ min: z.number(), max: z.number() }),
  limits: Limits,
  deadband: z.number().nonnegative(),
  onDelayMs: DurationMs,
  offDelayMs: DurationMs,
  samplingPeriodMs: DurationMs,
  interlock: z.boolean(),
  votingGroup: LocalId.optional(),
  rules: z.array(RuleSpec),
});
export type EffectivePoint = z.infer<typeof EffectivePoint>;
