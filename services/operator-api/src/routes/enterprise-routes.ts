import { LocalId } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import type { Principal } from '../auth/principal';
import { enterprisesInScope, regionMatches, regionOf, scopeCovers } from '../auth/scope-filter';
import { errorResponses, TimeParam } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import type { RouteContext } from '../route-context';

const EnterpriseSummary = z.object({
  id: z.string(),
  name: z.string(),
  region: z.object({ province: z.string(), city: z.string(), county: z.string() }),
  industries: z.array(z.string()),
  classification: z.object({ scheme: z.string(), code: z.string(), rank: z.number() }),
  connectionRequiredBy: z.string(),
  gateways: z.number().int(),
  points: z.number().int(),
});

const GatewayOnline = z.object({
  gatewayId: z.string(),
  online: z.boolean().nullable().describe('null = never reported'),
  since: z.number().nullable(),
});
const PointOnline = z.object({
  code: z.string(),
  kind: z.string(),
  lastSeen: z.number().nullable(),
  online: z.boolean().describe('a reading within 3 sampling periods'),
});

const PointIdParams = z.object({
  pointId: z
    .string()
    .regex(/^[^:]+:[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected {enterpriseId}:{code}')
    .describe('{enterpriseId}:{code}'),
});
const ReadingsQuery = z.object({
  from: TimeParam,
  to: TimeParam,
  step: z
    .enum(['1s', '10s', '1m', '5m', '10m', '1h', '1d'])
    .default('1m')
    .describe('down-sampling bucket (SAMPLE BY)'),
});
const STEP_MS = {
  '1s': 1000,
  '10s': 10_000,
  '1m': 60_000,
  '5m': 300_000,
  '10m': 600_000,
  '1h': 3_600_000,
  '1d': 86_400_000,
} as const;
/** Buckets per request, so one query cannot ask QuestDB for millions of rows. */
const MAX_BUCKETS = 10_000;

function requireEnterpriseInScope(ctx: RouteContext, p: Principal, enterpriseId: string) {
  if (!scopeCovers(p.scope, enterpriseId, regionOf(ctx.registry, enterpriseId)))
    throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
      `enterprise ${enterpriseId} is outside the scope ${p.scope.level}:${p.scope.code}`,
    );
  const e = ctx.registry.enterprise(enterpriseId);
  if (!e) throw apiErrors.YJ_ERR_API_NOT_FOUND(`enterprise ${enterpriseId} not found`);
  return e;
}

export const enterpriseRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/enterprises',
      {
        schema: {
          tags: ['registry'],
          summary: 'Enterprises in the caller’s scope',
          querystring: z.object({
            region: z
              .string()
              .regex(/^\d{6}$/)
              .optional(),
          }),
          response: { 200: z.object({ items: z.array(EnterpriseSummary) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const gateways = ctx.registry.gateways();
        const items = enterprisesInScope(ctx.registry, p.scope)
          .filter((e) => req.query.region === undefined || regionMatches(e.region, req.query.region))
          .map((e) => ({
            id: e.id,
            name: e.name,
            region: e.region,
            industries: e.industries,
            classification: e.classification,
            connectionRequiredBy: e.connectionRequiredBy,
            gateways: gateways.filter((g) => g.enterpriseId === e.id).length,
            points: ctx.registry.points(e.id).length,
          }));
        return { items };
      },
    );

    app.get(
      '/enterprises/:id/status',
      {
        schema: {
          tags: ['history'],
          summary: 'Online status of the enterprise’s gateways and points',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: {
            200: z.object({
              enterpriseId: z.string(),
              gateways: z.array(GatewayOnline),
              points: z.array(PointOnline),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const e = requireEnterpriseInScope(ctx, p, req.params.id);
        const now = ctx.now();
        const [status, seen] = await Promise.all([
          ctx.history.gatewayStatusAt(now, [e.id]),
          ctx.history.pointsLastSeen(e.id),
        ]);
        const statusOf = new Map(status.map((s) => [s.gatewayId, s]));
        const seenOf = new Map(seen.map((s) => [s.point, s.lastTs]));
        return {
          enterpriseId: e.id,
          gateways: ctx.registry
            .gateways()
            .filter((g) => g.enterpriseId === e.id)
            .map((g) => {
              const s = statusOf.get(g.id);
              return { gatewayId: g.id, online: s ? s.online : null, since: s ? s.ts : null };
            }),
          points: ctx.registry.points(e.id).map((pt) => {
            const last = seenOf.get(pt.code) ?? null;
            return {
              code: pt.code,
              kind: pt.kind,
              lastSeen: last,
              online: last !== null && now - last <= 3 * pt.samplingPeriodMs,
            };
          }),
        };
      },
    );

    app.get(
      '/points/:pointId/readings',
      {
        schema: {
          tags: ['history'],
          summary: 'Down-sampled readings of one point (avg/min/max/count per step)',
          params: PointIdParams,
          querystring: ReadingsQuery,
          response: {
            200: z.object({
              enterpriseId: z.string(),
              point: LocalId,
              unit: z.string(),
              step: z.string(),
              buckets: z.array(
                z.object({
                  ts: z.number(),
                  avg: z.number().nullable(),
                  min: z.number().nullable(),
                  max: z.number().nullable(),
                  count: z.number().int(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const sep = req.params.pointId.lastIndexOf(':');
        const enterpriseId = req.params.pointId.slice(0, sep);
        const code = req.params.pointId.slice(sep + 1);
        requireEnterpriseInScope(ctx, p, enterpriseId);
        const point = ctx.registry.point(enterpriseId, code);
        if (!point) throw apiErrors.YJ_ERR_API_NOT_FOUND(`point ${req.params.pointId} not found`);
        const { from, to, step } = req.query;
        const issue = (path: string, message: string) =>
          apiErrors.YJ_ERR_API_VALIDATION(`${path}: ${message}`, {
            context: { issues: [{ path, message }] },
          });
        if (from >= to) throw issue('querystring.from', 'from must be before to');
        if ((to - from) / STEP_MS[step] > MAX_BUCKETS)
          throw issue('querystring.step', `more than ${MAX_BUCKETS} buckets; use a larger step`);
        const buckets = await ctx.history.readings(enterpriseId, code, from, to, STEP_MS[step]);
        return { enterpriseId, point: code, unit: point.unit, step, buckets };
      },
    );
  };
