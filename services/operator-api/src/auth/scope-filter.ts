import type { Enterprise, RegionScope } from '@yujing/schemas';

/** The part of the registry that scope checks need. */
export interface EnterpriseLookup {
  enterprise(id: string): Enterprise | undefined;
  enterprises(): Enterprise[];
}

export interface EnterpriseRegion {
  province: string;
  city: string;
  county: string;
}

/**
 * An enterprise's region: from the registry, or — for an enterprise the registry does not (yet)
 * know — from its id, which starts with its 6-digit county code (DESIGN §4).
 */
export function regionOf(lookup: EnterpriseLookup, enterpriseId: string): EnterpriseRegion | undefined {
  const e = lookup.enterprise(enterpriseId);
  if (e) return e.region;
  const county = /^(\d{6})/.exec(enterpriseId)?.[1];
  if (!county) return undefined;
  return { province: `${county.slice(0, 2)}0000`, city: `${county.slice(0, 4)}00`, county };
}

/** True when the scope covers the enterprise (province, city, county or the enterprise itself). */
export function scopeCovers(
  scope: RegionScope,
  enterpriseId: string,
  region: EnterpriseRegion | undefined,
): boolean {
  switch (scope.level) {
    case 'enterprise':
      return scope.code === enterpriseId;
    case 'province':
      return region?.province === scope.code;
    case 'city':
      return region?.city === scope.code;
    case 'county':
      return region?.county === scope.code;
  }
}

/** A predicate over enterprise ids for one scope, caching lookups for a request or stream. */
export function scopePredicate(
  lookup: EnterpriseLookup,
  scope: RegionScope,
): (enterpriseId: string) => boolean {
  return (enterpriseId) => scopeCovers(scope, enterpriseId, regionOf(lookup, enterpriseId));
}

/** Ids of the registry's enterprises inside the scope (for server-side query filters). */
export function enterprisesInScope(lookup: EnterpriseLookup, scope: RegionScope): Enterprise[] {
  return lookup.enterprises().filter((e) => scopeCovers(scope, e.id, e.region));
}

/** True when a region filter code (province, city or county) contains the region. */
export function regionMatches(region: EnterpriseRegion | undefined, code: string): boolean {
  if (!region) return false;
  return region.province === code || region.city === code || region.county === code;
}

const BREADTH = { province: 3, city: 2, county: 1, enterprise: 0 } as const;
/** How many leading digits of a 6-digit code name the region at this level (GB/T 2260). */
const PREFIX_DIGITS = { province: 2, city: 4, county: 6 } as const;

/**
 * True when the `inner` scope lies inside the `outer` one (equal counts): a city-140100 token
 * contains county 140105, its enterprises and city 140100 itself, but neither the province 140000
 * nor city 140200. Used for registry entities that carry a scope (webhook subscriptions).
 */
export function scopeContains(lookup: EnterpriseLookup, outer: RegionScope, inner: RegionScope): boolean {
  if (inner.level === 'enterprise') return scopeCovers(outer, inner.code, regionOf(lookup, inner.code));
  if (outer.level === 'enterprise') return false;
  if (BREADTH[inner.level] > BREADTH[outer.level]) return false;
  const digits = PREFIX_DIGITS[outer.level];
  return /^\d{6}$/.test(inner.code) && inner.code.slice(0, digits) === outer.code.slice(0, digits);
}
