import type { AlarmTransitionEvent } from '@yujing/schemas';
import { apiErrors } from '../api-errors';
import type { Principal } from '../auth/principal';
import { regionOf, scopeCovers } from '../auth/scope-filter';
import type { RouteContext } from '../route-context';

/**
 * The latest known transition of an alarm (live feed or storage, whichever is newer), checked
 * against the caller's scope. Unknown → 404; outside the scope → 403 (alarm ids name their
 * enterprise anyway, so hiding existence would protect nothing).
 */
export async function findAlarm(
  ctx: RouteContext,
  p: Principal,
  alarmId: string,
): Promise<AlarmTransitionEvent> {
  const live = ctx.hub.latest(alarmId);
  const stored = await ctx.history.alarm(alarmId);
  const alarm = live && (!stored || live.seq >= stored.seq) ? live : stored;
  if (!alarm) throw apiErrors.YJ_ERR_API_NOT_FOUND(`alarm ${alarmId} not found`);
  if (!scopeCovers(p.scope, alarm.enterpriseId, regionOf(ctx.registry, alarm.enterpriseId)))
    throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
      `alarm ${alarmId} is outside the scope ${p.scope.level}:${p.scope.code}`,
    );
  return alarm;
}
