import type { FleetModel, SimPointSpec } from './fleet-model';
import type { Scenario, ScenarioTarget } from './scenario-schema';

export type ResolvedTarget =
  | { type: 'point'; enterpriseId: string; gatewayId: string; point: SimPointSpec }
  | { type: 'group'; enterpriseId: string; gatewayId: string; group: string; members: SimPointSpec[] }
  | { type: 'gateway'; enterpriseId: string; gatewayId: string; pointCodes: string[] };

export interface ResolvedScenario {
  scenario: Scenario;
  enterpriseId: string;
  targets: Record<string, ResolvedTarget>;
}

export class ScenarioResolutionError extends Error {
  override readonly name = 'ScenarioResolutionError';
}

/**
 * Binds a scenario's targets to concrete points of the fleet: the first enterprise (by id,
 * skipping `exclude`, so concurrent scenarios never share an enterprise) that matches the
 * enterprise selector and has every target. Deterministic for a given registry.
 */
export function resolveScenario(
  scenario: Scenario,
  fleet: FleetModel,
  opts: { exclude?: ReadonlySet<string> } = {},
): ResolvedScenario {
  const sel = scenario.enterprise;
  const candidates = fleet.enterprises.filter(
    (e) =>
      (sel.id === undefined || e.id === sel.id) &&
      (sel.industry === undefined || e.industries.includes(sel.industry)) &&
      (sel.classification === undefined || sel.classification.includes(e.classification.code)) &&
      !opts.exclude?.has(e.id),
  );
  for (const e of candidates) {
    const targets = tryEnterprise(scenario, fleet.pointsOf(e.id));
    if (targets) return { scenario, enterpriseId: e.id, targets };
  }
  throw new ScenarioResolutionError(
    `scenario ${scenario.id}: no enterprise${sel.id ? ` ${sel.id}` : ''} of the fleet has every target ` +
      `(${Object.keys(scenario.targets).join(', ')}); ${candidates.length} candidate(s) after the selector and exclusions`,
  );
}

function tryEnterprise(
  scenario: Scenario,
  points: SimPointSpec[],
): Record<string, ResolvedTarget> | undefined {
  const out: Record<string, ResolvedTarget> = {};
  const used = new Set<string>();
  for (const [alias, target] of Object.entries(scenario.targets)) {
    const resolved = resolveTarget(target, points, out, used);
    if (!resolved) return undefined;
    out[alias] = resolved;
    if (resolved.type === 'point') used.add(resolved.point.code);
    if (resolved.type === 'group') for (const m of resolved.members) used.add(m.code);
  }
  return out;
}

function resolveTarget(
  target: ScenarioTarget,
  points: SimPointSpec[],
  earlier: Record<string, ResolvedTarget>,
  used: Set<string>,
): ResolvedTarget | undefined {
  switch (target.select) {
    case 'point': {
      let pool = points.filter((p) => p.kind === target.kind && !used.has(p.code));
      if (target.code !== undefined) pool = pool.filter((p) => p.code === target.code);
      if (target.sameEquipmentAs !== undefined) {
        const ref = earlier[target.sameEquipmentAs];
        if (ref?.type !== 'point') return undefined;
        pool = sameEquipment(ref.point, pool);
      }
      const point = pool[0];
      return point && { type: 'point', enterpriseId: point.enterpriseId, gatewayId: point.gatewayId, point };
    }
    case 'group': {
      const groups = new Map<string, SimPointSpec[]>();
      for (const p of points) {
        if (p.kind !== target.kind || p.votingGroup === undefined || used.has(p.code)) continue;
        groups.set(p.votingGroup, [...(groups.get(p.votingGroup) ?? []), p]);
      }
      const found = [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .find(([, m]) => m.length >= target.size);
      if (!found) return undefined;
      const members = found[1].slice(0, target.size);
      return {
        type: 'group',
        enterpriseId: members[0]!.enterpriseId,
        gatewayId: members[0]!.gatewayId,
        group: found[0],
        members,
      };
    }
    case 'gateway': {
      const ref = earlier[target.of];
      if (!ref) return undefined;
      const pointCodes = points.filter((p) => p.gatewayId === ref.gatewayId).map((p) => p.code);
      return { type: 'gateway', enterpriseId: ref.enterpriseId, gatewayId: ref.gatewayId, pointCodes };
    }
  }
}

/** As the registry resolves `@kind` references: exactly one on the same equipment, else one in the area. */
function sameEquipment(ref: SimPointSpec, pool: SimPointSpec[]): SimPointSpec[] {
  const byEquipment = ref.equipment ? pool.filter((p) => p.equipment === ref.equipment) : [];
  if (byEquipment.length === 1) return byEquipment;
  const byArea = ref.area ? pool.filter((p) => p.area === ref.area) : [];
  return byEquipment.length === 0 && byArea.length === 1 ? byArea : [];
}

/** The point code an alarm of this target carries (DESIGN §5: code, vote:<group>, gateway:<id>). */
export function alarmPointOf(target: ResolvedTarget, member?: number): string {
  switch (target.type) {
    case 'point':
      return target.point.code;
    case 'group':
      return member === undefined ? `vote:${target.group}` : target.members[member]!.code;
    case 'gateway':
      return `gateway:${target.gatewayId}`;
  }
}
