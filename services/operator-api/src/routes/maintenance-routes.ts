import { randomUUID } from 'node:crypto';
import { type Enterprise, MAX_MAINTENANCE_MS, MaintenanceWindow, RegistryDocument } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import type { Principal } from '../auth/principal';
import { regionOf, scopeCovers } from '../auth/scope-filter';
import { errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import type { RouteContext } from '../route-context';

/** Ended windows are kept this long as the record of who held what and why, then dropped. */
const KEEP_ENDED_MS = 30 * 86_400_000;

const PointIdParams = z.object({
  pointId: z
    .string()
    .regex(/^[^:]+:[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected {enterpriseId}:{code}')
    .describe('{enterpriseId}:{code}'),
});

const HoldBody = z.object({
  mode: z.enum(['suppress', 'out-of-service']),
  durationMs: z
    .number()
    .int()
    .min(60_000)
    .max(MAX_MAINTENANCE_MS)
    .describe(`1 min … ${MAX_MAINTENANCE_MS / 86_400_000} days`),
  reason: z.string().min(1).max(500),
});

const WindowView = MaintenanceWindow.meta({ id: 'MaintenanceWindow' });

function pointOf(ctx: RouteContext, p: Principal, pointId: string): { enterprise: Enterprise; code: string } {
  const sep = pointId.lastIndexOf(':');
  const enterpriseId = pointId.slice(0, sep);
  const code = pointId.slice(sep + 1);
  if (!scopeCovers(p.scope, enterpriseId, regionOf(ctx.registry, enterpriseId)))
    throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
      `point ${pointId} is outside the scope ${p.scope.level}:${p.scope.code}`,
    );
  const enterprise = ctx.registry.enterprise(enterpriseId);
  if (!enterprise || !ctx.registry.point(enterpriseId, code))
    throw apiErrors.YJ_ERR_API_NOT_FOUND(`point ${pointId} not found`);
  return { enterprise, code };
}

/**
 * Maintenance (检修) of one point: suppress its alarms or take them out of service for at most
 * MAX_MAINTENANCE_MS, and end that early. A window is registry data on the enterprise (the same
 * field scheduled windows use), published with who changed it; the rules-worker applies it and
 * records a transition with the requester and the reason on every alarm it holds.
 * Permission: the shelve permission (both silence annunciation; docs/access-control.md).
 */
export const maintenanceRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const save = async (enterprise: Enterprise, windows: MaintenanceWindow[], p: Principal) => {
      const now = ctx.now();
      const kept = windows.filter((w) => w.to > now - KEEP_ENDED_MS).slice(-100);
      await ctx.registryWriter.publish(
        RegistryDocument.parse({ enterprises: [{ ...enterprise, maintenanceWindows: kept }] }),
        `api:${p.id}`,
      );
    };

    app.post(
      '/points/:pointId/maintenance',
      {
        schema: {
          tags: ['maintenance'],
          summary: 'Suppress a point’s alarms or take them out of service for a while (检修)',
          params: PointIdParams,
          body: HoldBody,
          response: { 200: z.object({ window: WindowView }), ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'shelve');
        const { enterprise, code } = pointOf(ctx, p, req.params.pointId);
        const now = ctx.now();
        const window = MaintenanceWindow.parse({
          id: `mw-${randomUUID().slice(0, 8)}`,
          mode: req.body.mode,
          points: [code],
          from: now,
          to: now + req.body.durationMs,
          reason: req.body.reason,
          requestedBy: { id: p.id, role: p.role, ...(p.name !== undefined ? { name: p.name } : {}) },
        });
        await save(enterprise, [...enterprise.maintenanceWindows, window], p);
        ctx.log.info(
          { enterpriseId: enterprise.id, point: code, windowId: window.id, mode: window.mode, actor: p.id },
          'point maintenance started',
        );
        return { window };
      },
    );

    app.delete(
      '/points/:pointId/maintenance',
      {
        schema: {
          tags: ['maintenance'],
          summary: 'End the point’s current maintenance windows now (they stay on record)',
          params: PointIdParams,
          response: { 200: z.object({ ended: z.array(WindowView) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'shelve');
        const { enterprise, code } = pointOf(ctx, p, req.params.pointId);
        const now = ctx.now();
        const current = (w: MaintenanceWindow) => w.points.includes(code) && w.from <= now && w.to > now;
        // A window that began this very ms keeps 1 ms, so `to > from` still holds.
        const end = (w: MaintenanceWindow) => ({ ...w, to: Math.max(now, w.from + 1) });
        const ended = enterprise.maintenanceWindows.filter(current).map(end);
        if (ended.length === 0) return { ended };
        await save(
          enterprise,
          enterprise.maintenanceWindows.map((w) => (current(w) ? end(w) : w)),
          p,
        );
        ctx.log.info(
          { enterpriseId: enterprise.id, point: code, windows: ended.map((w) => w.id), actor: p.id },
          'point maintenance ended',
        );
        return { ended };
      },
    );
  };
