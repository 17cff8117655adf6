import { randomUUID } from 'node:crypto';
import type { Actor, Enterprise, RegionScope, SupervisionRecord } from '@yujing/schemas';
import { apiErrors } from '../api-errors';
import type { Principal } from '../auth/principal';
import { regionOf, scopeCovers } from '../auth/scope-filter';
import type { HazardOutcome } from '../hazards/hazard-lifecycle';
import type { RouteContext } from '../route-context';
import { supervisionErrors } from '../supervision-errors';

/** What hazard, tip-off and inspection routes share: the actor, scope checks, ids and stored writes. */
export const actorOf = (p: Principal): Actor => ({
  id: p.id,
  role: p.role,
  ...(p.name !== undefined ? { name: p.name } : {}),
});

export const newWriteId = () => randomUUID();

/** A record id: prefix, Asia/Shanghai date and 8 random hex digits (a LocalId). */
export function newRecordId(prefix: string, now: number): string {
  const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${prefix}-${day}-${randomUUID().slice(0, 8)}`;
}

/** The enterprise, or 403 when outside the caller's scope / 404 when unknown. */
export function enterpriseInScope(ctx: RouteContext, p: Principal, enterpriseId: string): Enterprise {
  if (!scopeCovers(p.scope, enterpriseId, regionOf(ctx.registry, enterpriseId)))
    throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
      `enterprise ${enterpriseId} is outside the scope ${p.scope.level}:${p.scope.code}`,
    );
  const e = ctx.registry.enterprise(enterpriseId);
  if (!e) throw apiErrors.YJ_ERR_API_NOT_FOUND(`enterprise ${enterpriseId} not found`);
  return e;
}

/** Whether a county code lies inside a (non-enterprise) region scope. */
export function countyInScope(scope: RegionScope, county: string): boolean {
  switch (scope.level) {
    case 'enterprise':
      return false;
    case 'province':
      return county.slice(0, 2) === scope.code.slice(0, 2);
    case 'city':
      return county.slice(0, 4) === scope.code.slice(0, 4);
    case 'county':
      return county === scope.code;
  }
}

/** The record of a state-machine outcome, or the refusal as an API error. */
export function recordOrThrow(outcome: HazardOutcome) {
  if (outcome.ok) return outcome.record;
  switch (outcome.code) {
    case 'YJ_ERR_HAZARD_FORBIDDEN':
      throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(outcome.message);
    case 'YJ_ERR_HAZARD_TRANSITION':
      throw supervisionErrors.YJ_ERR_HAZARD_TRANSITION(outcome.message);
    case 'YJ_ERR_HAZARD_INPUT':
      throw supervisionErrors.YJ_ERR_HAZARD_INPUT(outcome.message);
  }
}

/** Stores a record; 409 when another write of its version won, 503 when the store does not answer. */
export async function store(ctx: RouteContext, record: SupervisionRecord): Promise<void> {
  let outcome: Awaited<ReturnType<RouteContext['supervision']['write']>>;
  try {
    outcome = await ctx.supervision.write(record);
  } catch (err) {
    ctx.log.error({ err, key: `${record.type}/${record.id}` }, 'supervision write failed');
    throw apiErrors.YJ_ERR_API_STORAGE_UNAVAILABLE('the supervision store did not confirm the write');
  }
  if (outcome === 'conflict')
    throw supervisionErrors.YJ_ERR_SUPERVISION_CONFLICT(
      `${record.type} ${record.id} was changed by someone else at version ${record.version}`,
    );
}
