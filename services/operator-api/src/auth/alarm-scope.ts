import type { RegionScope } from '@yujing/schemas';
import type { RegistryView } from '../collaborators';
import { enterprisesInScope, regionMatches, regionOf, scopeCovers } from './scope-filter';

export interface AlarmFilter {
  enterprise?: string | undefined;
  region?: string | undefined;
}

/**
 * Which enterprises a query may touch: the scope intersected with the `enterprise` and `region`
 * filters. `undefined` means "no id list needed" (province scope without filters); results are
 * still checked one by one with `visible`.
 */
export function enterpriseIdsFor(
  registry: RegistryView,
  scope: RegionScope,
  f: AlarmFilter,
): string[] | undefined {
  if (f.enterprise !== undefined) {
    return scopeCovers(scope, f.enterprise, regionOf(registry, f.enterprise)) &&
      (f.region === undefined || regionMatches(regionOf(registry, f.enterprise), f.region))
      ? [f.enterprise]
      : [];
  }
  if (scope.level === 'province' && f.region === undefined) return undefined;
  const region = f.region;
  return enterprisesInScope(registry, scope)
    .filter((e) => region === undefined || regionMatches(e.region, region))
    .map((e) => e.id);
}

/** The per-item check every list and stream applies, whatever the query returned. */
export function visibleTo(
  registry: RegistryView,
  scope: RegionScope,
  f: AlarmFilter = {},
): (enterpriseId: string) => boolean {
  return (enterpriseId) => {
    const region = regionOf(registry, enterpriseId);
    if (!scopeCovers(scope, enterpriseId, region)) return false;
    if (f.enterprise !== undefined && f.enterprise !== enterpriseId) return false;
    if (f.region !== undefined && !regionMatches(region, f.region)) return false;
    return true;
  };
}

/**
 * The per-item check of a list kept in memory (hazards, inspections): the enterprise is among
 * `enterpriseIdsFor` (when that names a list) and passes `visibleTo`.
 */
export function listedFor(
  registry: RegistryView,
  scope: RegionScope,
  f: AlarmFilter,
): (enterpriseId: string) => boolean {
  const ids = enterpriseIdsFor(registry, scope, f);
  const allowed = ids === undefined ? undefined : new Set(ids);
  const visible = visibleTo(registry, scope, f);
  return (enterpriseId) => (allowed === undefined || allowed.has(enterpriseId)) && visible(enterpriseId);
}
