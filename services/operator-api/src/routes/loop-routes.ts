import { LoopState, LoopStep } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { enterpriseIdsFor, visibleTo } from '../auth/alarm-scope';
import { AlarmView, errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import { openLoopOf } from '../reports/open-loops';
import type { RouteContext } from '../route-context';

const OPEN_LOOP_STATES = LoopState.options.filter((s) => s !== 'closed');

const LoopQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('province, city or county code'),
  enterprise: z.string().min(1).max(64).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only loops past the deadline of the step they wait for'),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const OpenLoopView = z.object({
  alarm: AlarmView,
  step: LoopStep.describe('the step the loop waits for'),
  dueAt: z.number().nullable().describe('deadline of that step (epoch ms); null when no policy gives one'),
  overdue: z.boolean(),
  overdueByMs: z.number().int().nonnegative(),
});

/** GET /loops: open closed-loop items (核实 → 处置 → 反馈 → 销号 not yet 销号) in the caller's region. */
export const loopRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/loops',
      {
        schema: {
          tags: ['closed loop'],
          summary: 'Open and overdue closed-loop items in the caller’s scope, most overdue first',
          querystring: LoopQuery,
          response: {
            200: z.object({
              items: z.array(OpenLoopView),
              count: z.number().int(),
              overdue: z.number().int().describe('how many of the items are overdue'),
              byLevel: z.record(z.string(), z.number().int()).describe('open items per alarm level'),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const q = req.query;
        const filter = { enterprise: q.enterprise, region: q.region };
        const ids = enterpriseIdsFor(ctx.registry, p.scope, filter);
        if (ids !== undefined && ids.length === 0) return { items: [], count: 0, overdue: 0, byLevel: {} };
        const rows = await ctx.history.currentAlarms({
          ...(ids !== undefined ? { enterpriseIds: ids } : {}),
          loops: OPEN_LOOP_STATES,
          limit: q.limit,
        });
        const visible = visibleTo(ctx.registry, p.scope, filter);
        const now = ctx.now();
        const items = rows
          .map((r) => {
            const live = ctx.hub.latest(r.alarmId);
            return live && live.seq > r.seq ? live : r;
          })
          .filter((a) => visible(a.enterpriseId))
          .flatMap((a) => {
            const e = ctx.registry.enterprise(a.enterpriseId);
            const deadlines = e
              ? ctx.registry.policyFor(e.classification.code, a.level)?.closedLoop
              : undefined;
            const loop = openLoopOf(a, deadlines, now);
            return loop && (q.overdue !== true || loop.overdue) ? [loop] : [];
          })
          .sort((x, y) => y.overdueByMs - x.overdueByMs || (x.dueAt ?? Infinity) - (y.dueAt ?? Infinity));
        const byLevel: Record<string, number> = {};
        for (const l of items) byLevel[String(l.alarm.level)] = (byLevel[String(l.alarm.level)] ?? 0) + 1;
        return { items, count: items.length, overdue: items.filter((l) => l.overdue).length, byLevel };
      },
    );
  };
