import type {
  AlarmLevel,
  Classification,
  EffectivePoint,
  Enterprise,
  EscalationPolicy,
  Gateway,
} from '@yujing/schemas';
import { compileLoopDeadlines, type LoopDeadlines } from './closed-loop';
import { type CompiledRule, compileRule, RULE } from './compiled-rule';
import type { SlotRule } from './engine-state';
import { type CompiledHold, compileHolds } from './point-holds';
import { DEFAULT_RULES_OPTIONS, type RulesOptions } from './rules-options';

/** A point with its rules compiled, ready for the hot path. */
export interface CompiledPoint {
  code: string;
  gatewayId: string;
  samplingPeriodMs: number;
  rangeMin: number;
  rangeMax: number;
  rules: CompiledRule[];
  ruleIds: string[];
  /** Wall-clock silence after which the point counts as offline (no-data rule or the default). */
  offlineAfterMs: number;
  /** Index of the sensor-fault rule, -1 when none. */
  faultIndex: number;
  votingGroup: string | null;
  /** The member's vote rule (limit and direction), null when not voting. */
  vote: CompiledRule | null;
  /** Combination rules of other points (or this one) that read this point: [owner, rule index]. */
  dependents: Array<{ owner: CompiledPoint; index: number }>;
  /**
   * The `points` map of the context this point was compiled into: a point state bound to this
   * point belongs to that context, so the evaluator can skip the context lookup (one map lookup
   * per reading instead of two).
   */
  compiledIn: ReadonlyMap<string, CompiledPoint>;
}

export interface CompiledGroup {
  id: string;
  /** Alarm point label: `vote:<group>`. */
  label: string;
  rule: SlotRule;
  m: number;
  n: number;
  level: number;
  members: string[];
}

/** Everything rules-core needs to evaluate one enterprise: its compiled points, groups and options. */
export interface RulesContext {
  enterpriseId: string;
  region?: { city: string; county: string };
  classification?: Classification;
  points: Map<string, CompiledPoint>;
  groups: Map<string, CompiledGroup>;
  gatewayTimeoutMs: Map<string, number>;
  /** Shortest no-data delay of each gateway's points: a longer gap in its batches is a gateway outage. */
  gatewayMinSilenceMs: Map<string, number>;
  /** Closed-loop deadlines by alarm level for this enterprise's classification (none = no deadlines). */
  loopDeadlines: Map<number, LoopDeadlines>;
  /** Maintenance windows (检修) of the enterprise, from the registry. */
  holds: CompiledHold[];
  options: RulesOptions;
}

export interface CompileInput {
  enterpriseId: string;
  enterprise?: Pick<Enterprise, 'region' | 'classification'> &
    Partial<Pick<Enterprise, 'maintenanceWindows'>>;
  points: readonly EffectivePoint[];
  gateways?: readonly Pick<Gateway, 'id' | 'heartbeatTimeoutMs'>[];
  /** Escalation policies: their `closedLoop` deadlines apply to this enterprise's alarms. */
  policies?: readonly Pick<EscalationPolicy, 'classification' | 'levels' | 'closedLoop'>[];
  options?: Partial<RulesOptions>;
}

/** Precompiles an enterprise's effective points (do it once per registry change, not per batch). */
export function compileEnterprise(input: CompileInput): RulesContext {
  const options: RulesOptions = { ...DEFAULT_RULES_OPTIONS, ...input.options };
  const classification = input.enterprise?.classification;
  const points = new Map<string, CompiledPoint>();
  for (const p of input.points) {
    const enabled = p.rules.filter((r) => r.enabled !== false);
    const rules = enabled.map((spec) =>
      compileRule(p, spec, (level) =>
        options.mapLevel
          ? options.mapLevel(level as AlarmLevel, {
              ...(classification ? { classification } : {}),
              rule: spec,
              point: p.code,
            })
          : level,
      ),
    );
    const noData = rules.find((r) => r.t === RULE.noData);
    const vote = rules.find((r) => r.t === RULE.vote) ?? null;
    points.set(p.code, {
      code: p.code,
      gatewayId: p.gatewayId,
      samplingPeriodMs: p.samplingPeriodMs,
      rangeMin: p.range.min,
      rangeMax: p.range.max,
      rules,
      ruleIds: rules.map((r) => r.id),
      offlineAfterMs: noData ? noData.afterMs : options.defaultOfflinePeriods * p.samplingPeriodMs,
      faultIndex: rules.findIndex((r) => r.t === RULE.fault),
      votingGroup: vote && p.votingGroup ? p.votingGroup : null,
      vote: vote && p.votingGroup ? vote : null,
      dependents: [],
      compiledIn: points,
    });
  }
  for (const owner of points.values()) {
    owner.rules.forEach((r, index) => {
      if (r.t !== RULE.combination) return;
      for (const code of new Set([r.aPoint, r.bPoint])) points.get(code)?.dependents.push({ owner, index });
    });
  }
  const groups = new Map<string, CompiledGroup>();
  for (const p of [...points.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    if (!p.votingGroup || !p.vote) continue;
    const g = groups.get(p.votingGroup);
    if (g) {
      g.members.push(p.code);
      g.n++;
    } else {
      groups.set(p.votingGroup, {
        id: p.votingGroup,
        label: `vote:${p.votingGroup}`,
        rule: { id: p.vote.id, kind: 'vote', onDelayMs: 0, offDelayMs: 0 },
        m: p.vote.m,
        n: 1,
        level: p.vote.level,
        members: [p.code],
      });
    }
  }
  const gatewayTimeoutMs = new Map<string, number>();
  for (const g of input.gateways ?? []) gatewayTimeoutMs.set(g.id, g.heartbeatTimeoutMs);
  const gatewayMinSilenceMs = new Map<string, number>();
  for (const p of points.values())
    for (const r of p.rules)
      if (r.t === RULE.noData)
        gatewayMinSilenceMs.set(
          p.gatewayId,
          Math.min(gatewayMinSilenceMs.get(p.gatewayId) ?? r.afterMs, r.afterMs),
        );
  return {
    enterpriseId: input.enterpriseId,
    ...(input.enterprise
      ? { region: { city: input.enterprise.region.city, county: input.enterprise.region.county } }
      : {}),
    ...(classification ? { classification } : {}),
    points,
    groups,
    gatewayTimeoutMs,
    gatewayMinSilenceMs,
    loopDeadlines: compileLoopDeadlines(input.policies ?? [], classification?.code),
    holds: compileHolds(input.enterprise?.maintenanceWindows),
    options,
  };
}
