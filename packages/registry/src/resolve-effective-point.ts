import {
  type AlarmLevel,
  type EffectivePoint,
  type Enterprise,
  type Limits,
  type Point,
  pointKind,
  type RuleOverride,
  RuleSpec,
} from '@yujing/schemas';
import { flattenTemplate, mergeOverride, type TemplateLookup } from './template-chain';

/** A problem found while resolving one point; `path` is relative to the point. */
export interface ResolveProblem {
  path: string;
  message: string;
}

export interface ResolveResult {
  /** Undefined only when the kind or the template chain cannot be resolved at all. */
  effective?: EffectivePoint;
  problems: ResolveProblem[];
}

const clampLevel = (level: number): AlarmLevel => Math.min(4, Math.max(1, level));

/** Shifts every level of a rule (classification variant), clamped to 1..4. */
function shiftLevels(rule: RuleSpec, shift: number): RuleSpec {
  if (shift === 0) return rule;
  if (rule.type === 'threshold') {
    const levels = Object.fromEntries(
      Object.entries(rule.levels).map(([k, v]) => [k, v === undefined ? v : clampLevel(v + shift)]),
    );
    return { ...rule, levels };
  }
  return { ...rule, level: clampLevel(rule.level + shift) };
}

/** Applies overrides by rule id; an override with a new id and a `type` adds a rule. */
function applyOverrides(
  rules: RuleSpec[],
  overrides: readonly RuleOverride[],
  where: string,
  problems: ResolveProblem[],
): RuleSpec[] {
  const out = [...rules];
  overrides.forEach((o, j) => {
    const i = out.findIndex((r) => r.id === o.id);
    const candidate = i >= 0 ? mergeOverride(out[i] as RuleOverride, o) : o;
    if (i < 0 && candidate.type === undefined) {
      problems.push({
        path: `${where}.${j}.id`,
        message: `override of unknown rule ${o.id} (no such rule in the template; add "type" to define a new rule)`,
      });
      return;
    }
    const parsed = RuleSpec.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({
          path: [where, j, ...issue.path.map(String)].join('.'),
          message: `rule ${o.id}: ${issue.message}`,
        });
      }
      return;
    }
    if (i >= 0) out[i] = parsed.data;
    else out.push(parsed.data);
  });
  return out;
}

/** Finds the point a `@kind` reference means: same equipment, else same area, else the only one. */
function resolveKindRef(kind: string, self: Point, siblings: readonly Point[]): string | undefined {
  const ofKind = siblings.filter((p) => p.kind === kind && p.code !== self.code);
  const byEquipment = self.equipment ? ofKind.filter((p) => p.equipment === self.equipment) : [];
  if (byEquipment.length === 1) return byEquipment[0]!.code;
  const byArea = self.area ? ofKind.filter((p) => p.area === self.area) : [];
  if (byEquipment.length === 0 && byArea.length === 1) return byArea[0]!.code;
  if (ofKind.length === 1) return ofKind[0]!.code;
  return undefined;
}

/**
 * Resolves a registry point into what rules-core evaluates: its template (with `extends`), the
 * variant for the enterprise's classification (level shift clamped to 1..4, then the variant's
 * explicit overrides), then the point's own overrides (explicit levels are final, not shifted).
 * The point's design limits (or the kind's defaults when the point has none), deadband and
 * delays fill threshold rules that do not set their own. Vote rules need a voting group;
 * combination references ("self", "@kind") become concrete point codes. Parts that cannot be
 * resolved are left out and reported; the rest of the point still resolves.
 */
export function resolveEffectivePoint(
  point: Point,
  enterprise: Pick<Enterprise, 'classification'>,
  lookup: TemplateLookup,
  siblings: readonly Point[] = [],
): ResolveResult {
  const problems: ResolveProblem[] = [];
  const def = pointKind(point.kind);
  if (!def) return { problems: [{ path: 'kind', message: `unknown point kind ${point.kind}` }] };
  const templateId = point.template ?? def.template;
  const flat = flattenTemplate(templateId, lookup);
  if ('problem' in flat)
    return { problems: [{ path: point.template ? 'template' : 'kind', message: flat.problem }] };

  const variant = flat.byClassification[enterprise.classification.code];
  let rules = flat.rules.map((r) => shiftLevels(r, variant?.levelShift ?? 0));
  if (variant)
    rules = applyOverrides(
      rules,
      variant.rules,
      `template(${flat.id}).byClassification.${enterprise.classification.code}.rules`,
      problems,
    );
  rules = applyOverrides(rules, point.rules, 'rules', problems);

  const hasOwnLimits = Object.values(point.limits).some((v) => v !== undefined);
  const limits: Limits = hasOwnLimits ? { ...point.limits } : { ...def.limits };
  const deadband = point.deadband ?? def.deadband;

  const resolved: RuleSpec[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.type === 'threshold') {
      resolved.push({
        ...rule,
        limits: rule.limits ?? limits,
        deadband: rule.deadband ?? deadband,
        onDelayMs: rule.onDelayMs ?? point.onDelayMs,
        offDelayMs: rule.offDelayMs ?? point.offDelayMs,
      });
    } else if (rule.type === 'vote') {
      if (point.votingGroup) resolved.push(rule);
    } else if (rule.type === 'combination') {
      const refs = [rule.a, rule.b].map((c) => {
        if (c.point === 'self') return point.code;
        if (c.point.startsWith('@')) return resolveKindRef(c.point.slice(1), point, siblings);
        return c.point;
      });
      const [a, b] = refs;
      if (a === undefined || b === undefined) {
        problems.push({
          path: 'rules',
          message: `combination rule ${rule.id}: no unique point for ${[rule.a, rule.b]
            .filter((_, i) => refs[i] === undefined)
            .map((c) => c.point)
            .join(', ')} on equipment ${point.equipment ?? '-'} / area ${point.area ?? '-'}; rule left out`,
        });
        continue;
      }
      resolved.push({ ...rule, a: { ...rule.a, point: a }, b: { ...rule.b, point: b } });
    } else {
      resolved.push(rule);
    }
  }

  const effective: EffectivePoint = {
    enterpriseId: point.enterpriseId,
    code: point.code,
    kind: point.kind,
    unit: point.unit,
    gatewayId: point.gatewayId,
    range: point.range,
    limits,
    deadband,
    onDelayMs: point.onDelayMs,
    offDelayMs: point.offDelayMs,
    samplingPeriodMs: point.samplingPeriodMs,
    interlock: point.interlock,
    ...(point.votingGroup ? { votingGroup: point.votingGroup } : {}),
    rules: resolved,
  };
  return { effective, problems };
}
