import type { AlarmTransitionEvent } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { enterpriseIdsFor, visibleTo } from '../auth/alarm-scope';
import { enterprisesInScope, regionMatches, regionOf } from '../auth/scope-filter';
import { errorResponses, TimeParam } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import { alarmKpis } from '../reports/alarm-kpis';
import { connectivityReport } from '../reports/connectivity-report';
import type { RouteContext } from '../route-context';

const DAY_MS = 86_400_000;
const MAX_PERIOD_MS = 31 * DAY_MS;

const PeriodQuery = z.object({
  from: TimeParam.optional().describe('default: 24 h before to'),
  to: TimeParam.optional().describe('default: now'),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

const Rate = z.number().min(0).max(1).nullable();
const ConnectivityRow = z.object({
  level: z.enum(['province', 'city', 'county']),
  code: z.string(),
  enterprises: z.number().int(),
  required: z.number().int(),
  connected: z.number().int(),
  accessRate: Rate.describe('接入率 = connected / required by connectionRequiredBy'),
  gateways: z.number().int(),
  onlineRate: Rate.describe('在线率 = online gateway time / (gateways × period)'),
});

const KpiBlock = z.object({
  raised: z.number().int(),
  per10Min: z.number(),
  peak10Min: z.number().int(),
  floodWindows: z.array(z.object({ position: z.string(), windowStart: z.number(), count: z.number().int() })),
  chattering: z.array(
    z.object({ enterpriseId: z.string(), point: z.string(), rule: z.string(), raises: z.number().int() }),
  ),
  stale: z.array(z.object({ alarmId: z.string(), activeSinceMs: z.number() })),
  ack: z.object({
    count: z.number().int(),
    unacked: z.number().int(),
    meanMs: z.number().nullable(),
    p50Ms: z.number().nullable(),
    p90Ms: z.number().nullable(),
  }),
  overdue: z.object({
    verify: z.number().int(),
    dispose: z.number().int(),
    feedback: z.number().int(),
    close: z.number().int(),
  }),
});

function period(ctx: RouteContext, q: { from?: number | undefined; to?: number | undefined }) {
  const to = q.to ?? ctx.now();
  const from = q.from ?? to - DAY_MS;
  const bad = (message: string) =>
    apiErrors.YJ_ERR_API_VALIDATION(message, {
      context: { issues: [{ path: 'querystring.from', message }] },
    });
  if (from >= to) throw bad('from must be before to');
  if (to - from > MAX_PERIOD_MS) throw bad('the period may span at most 31 days');
  return { from, to };
}

export const reportRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/reports/connectivity',
      {
        schema: {
          tags: ['reports'],
          summary: '接入率 and 在线率 per province, city and county in the caller’s scope',
          querystring: PeriodQuery,
          response: {
            200: z.object({ from: z.number(), to: z.number(), rows: z.array(ConnectivityRow) }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'reports');
        const { from, to } = period(ctx, req.query);
        const enterprises = enterprisesInScope(ctx.registry, p.scope).filter(
          (e) => req.query.region === undefined || regionMatches(e.region, req.query.region),
        );
        const ids = enterprises.map((e) => e.id);
        if (ids.length === 0) return { from, to, rows: [] };
        const [statusAtTo, statusAtFrom, changes] = await Promise.all([
          ctx.history.gatewayStatusAt(to, ids),
          ctx.history.gatewayStatusAt(from, ids),
          ctx.history.gatewayStatusBetween(from, to, ids),
        ]);
        const idSet = new Set(ids);
        const gateways = ctx.registry.gateways().filter((g) => idSet.has(g.enterpriseId));
        return {
          from,
          to,
          rows: connectivityReport({ enterprises, gateways, statusAtTo, statusAtFrom, changes, from, to }),
        };
      },
    );

    app.get(
      '/reports/alarm-kpis',
      {
        schema: {
          tags: ['reports'],
          summary: 'Alarm-system KPIs (ISA-18.2) in total and per city, county and enterprise',
          querystring: PeriodQuery.extend({ enterprise: z.string().min(1).max(64).optional() }),
          response: {
            200: z.object({
              from: z.number(),
              to: z.number(),
              total: KpiBlock,
              groups: z.array(
                z.object({
                  level: z.enum(['city', 'county', 'enterprise']),
                  code: z.string(),
                  kpis: KpiBlock,
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'reports');
        const { from, to } = period(ctx, req.query);
        const filter = { enterprise: req.query.enterprise, region: req.query.region };
        const ids = enterpriseIdsFor(ctx.registry, p.scope, filter);
        const visible = visibleTo(ctx.registry, p.scope, filter);
        const scoped = ids !== undefined ? { enterpriseIds: ids } : {};
        const [events, active] =
          ids !== undefined && ids.length === 0
            ? [[], []]
            : await Promise.all([
                ctx.history.alarmEvents(from, to, ids),
                ctx.history.currentAlarms({ ...scoped, states: ['active-unack', 'active-ack'], limit: 1000 }),
              ]);
        const closedLoopOf = (a: AlarmTransitionEvent) => {
          const e = ctx.registry.enterprise(a.enterpriseId);
          return e ? ctx.registry.policyFor(e.classification.code, a.level)?.closedLoop : undefined;
        };
        const ev = events.filter((e) => visible(e.enterpriseId));
        const ac = active.filter((a) => visible(a.enterpriseId));
        const block = (keep: (enterpriseId: string) => boolean) =>
          alarmKpis({
            events: ev.filter((e) => keep(e.enterpriseId)),
            active: ac.filter((a) => keep(a.enterpriseId)),
            from,
            to,
            closedLoopOf,
          });
        const keys = new Map<string, { level: 'city' | 'county' | 'enterprise'; code: string }>();
        for (const e of [...ev, ...ac]) {
          const r = regionOf(ctx.registry, e.enterpriseId);
          if (r) keys.set(`city:${r.city}`, { level: 'city', code: r.city });
          if (r) keys.set(`county:${r.county}`, { level: 'county', code: r.county });
          keys.set(`enterprise:${e.enterpriseId}`, { level: 'enterprise', code: e.enterpriseId });
        }
        const groups = [...keys.values()]
          .sort((a, b) => a.level.localeCompare(b.level) || a.code.localeCompare(b.code))
          .map((g) => ({
            ...g,
            kpis: block((id) => {
              if (g.level === 'enterprise') return id === g.code;
              const r = regionOf(ctx.registry, id);
              return g.level === 'city' ? r?.city === g.code : r?.county === g.code;
            }),
          }));
        return { from, to, total: block(() => true), groups };
      },
    );
  };
