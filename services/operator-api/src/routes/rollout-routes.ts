import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { enterprisesInScope, regionMatches } from '../auth/scope-filter';
import { errorResponses, TimeParam } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import { CONNECTION_DEADLINE_SOURCE } from '../reports/connection-deadline';
import { type RolloutReport, rolloutCsv, rolloutReport } from '../reports/rollout-report';
import type { RouteContext } from '../route-context';

const DAY_MS = 86_400_000;
/** A year (leap years included); longer periods are split by the caller. */
const MAX_PERIOD_MS = 366 * DAY_MS;

const RolloutQuery = z.object({
  from: TimeParam.optional().describe('default: 30 days before to'),
  to: TimeParam.optional().describe('default: now'),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

const Rate = z.number().min(0).max(1).nullable();
const RolloutView = z.object({
  from: z.number(),
  to: z.number(),
  bucketMs: z.number().int().describe('online resolution: 10 min up to 31 days, 1 h beyond'),
  deadlineSource: z.string(),
  enterprises: z.array(
    z.object({
      enterpriseId: z.string(),
      name: z.string(),
      county: z.string(),
      deadline: z.string().describe('derived from the seed’s rules, not the registry field'),
      rule: z.string(),
      registryDeadlineMismatch: z
        .string()
        .nullable()
        .describe('the registry’s connectionRequiredBy when it differs'),
      connectedAt: z.number().nullable(),
      status: z.enum(['on-time', 'late', 'overdue', 'not-yet-due', 'connected-early']),
      onlineRate: Rate,
      offlineNow: z.boolean(),
    }),
  ),
  months: z.array(
    z.object({
      month: z.string(),
      required: z.number().int(),
      connected: z.number().int(),
      accessRate: Rate,
      onlineRate: Rate,
    }),
  ),
  attention: z.array(z.string()).describe('late, overdue or offline now'),
});

/**
 * Rollout reports that hold (issue #15): 接入率 against each enterprise's derived deadline, 在线率 from
 * data silence (readings of every transport), late and offline enterprises, by month over up to a
 * year, and the same list as CSV.
 */
export const rolloutRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const compute = async (
      scope: Parameters<typeof enterprisesInScope>[1],
      q: z.infer<typeof RolloutQuery>,
    ): Promise<RolloutReport & { from: number; to: number; bucketMs: number }> => {
      const to = q.to ?? ctx.now();
      const from = q.from ?? to - 30 * DAY_MS;
      const bad = (message: string) =>
        apiErrors.YJ_ERR_API_VALIDATION(message, {
          context: { issues: [{ path: 'querystring.from', message }] },
        });
      if (from >= to) throw bad('from must be before to');
      if (to - from > MAX_PERIOD_MS) throw bad('the period may span at most a year (366 days)');
      const bucketMs = to - from > 31 * DAY_MS ? 3_600_000 : 600_000;
      const enterprises = enterprisesInScope(ctx.registry, scope).filter(
        (e) => q.region === undefined || regionMatches(e.region, q.region),
      );
      const ids = enterprises.map((e) => e.id);
      const idSet = new Set(ids);
      const [firstSeen, activity] = await Promise.all([
        ctx.history.firstReadings(to, ids),
        ctx.history.readingActivity(from, to, bucketMs, ids),
      ]);
      const gateways = ctx.registry.gateways().filter((g) => idSet.has(g.enterpriseId));
      return {
        from,
        to,
        bucketMs,
        ...rolloutReport({ enterprises, gateways, firstSeen, activity, from, to, bucketMs }),
      };
    };

    app.get(
      '/reports/rollout',
      {
        schema: {
          tags: ['reports'],
          summary:
            '接入率 against derived deadlines, 在线率 from data silence, late and offline enterprises, by month',
          querystring: RolloutQuery,
          response: { 200: RolloutView, ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'reports');
        return { ...(await compute(p.scope, req.query)), deadlineSource: CONNECTION_DEADLINE_SOURCE };
      },
    );

    app.get(
      '/reports/rollout.csv',
      {
        schema: {
          tags: ['reports'],
          summary: 'The per-enterprise rollout list as CSV (UTF-8 with BOM)',
          querystring: RolloutQuery,
          produces: ['text/csv'],
          response: { 200: z.string().describe('text/csv'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = authorize(req, 'reports');
        const report = await compute(p.scope, req.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="rollout.csv"')
          .serializer((s: unknown) => s as string)
          .send(rolloutCsv(report));
      },
    );
  };
