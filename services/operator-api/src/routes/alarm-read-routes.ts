import { LoopState } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { enterpriseIdsFor, visibleTo } from '../auth/alarm-scope';
import {
  AlarmIdParams,
  AlarmView,
  DeliveryView,
  errorResponses,
  kindCsv,
  levelCsv,
  stateCsv,
  TimeParam,
} from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import type { RouteContext } from '../route-context';
import { findAlarm } from './find-alarm';

const ListQuery = z.object({
  state: stateCsv.optional().describe('comma separated ISA-18.2 states'),
  level: levelCsv.optional().describe('comma separated levels 1–4'),
  kind: kindCsv.optional().describe('comma separated alarm kinds'),
  loop: LoopState.optional().describe('closed-loop state'),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('province, city or county code'),
  enterprise: z.string().min(1).max(64).optional(),
  from: TimeParam.optional().describe('last transition at or after'),
  to: TimeParam.optional().describe('last transition before'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const Deadline = z.object({
  step: z.enum(['verify', 'dispose', 'feedback', 'close']),
  dueAt: z.number(),
  doneAt: z.number().nullable(),
  overdue: z.boolean(),
});

export const alarmReadRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/alarms',
      {
        schema: {
          tags: ['alarms'],
          summary: 'Current alarms (latest transition per alarm) in the caller’s scope',
          querystring: ListQuery,
          response: {
            200: z.object({ items: z.array(AlarmView), count: z.number().int() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const q = req.query;
        if (q.from !== undefined && q.to !== undefined && q.from >= q.to)
          throw apiErrors.YJ_ERR_API_VALIDATION('from must be before to', {
            context: { issues: [{ path: 'querystring.from', message: 'from must be before to' }] },
          });
        const filter = { enterprise: q.enterprise, region: q.region };
        const ids = enterpriseIdsFor(ctx.registry, p.scope, filter);
        if (ids !== undefined && ids.length === 0) return { items: [], count: 0 };
        const rows = await ctx.history.currentAlarms({
          ...(ids !== undefined ? { enterpriseIds: ids } : {}),
          ...(q.state ? { states: q.state } : {}),
          ...(q.level ? { levels: q.level } : {}),
          ...(q.kind ? { kinds: q.kind } : {}),
          ...(q.from !== undefined ? { from: q.from } : {}),
          ...(q.to !== undefined ? { to: q.to } : {}),
          limit: q.limit,
        });
        const visible = visibleTo(ctx.registry, p.scope, filter);
        // The stream may be ahead of storage: prefer the newer of the two views of an alarm.
        const items = rows
          .map((r) => {
            const live = ctx.hub.latest(r.alarmId);
            return live && live.seq > r.seq ? live : r;
          })
          .filter((a) => visible(a.enterpriseId) && (q.loop === undefined || a.loop === q.loop));
        return { items, count: items.length };
      },
    );

    app.get(
      '/alarms/:id',
      {
        schema: {
          tags: ['alarms'],
          summary:
            'One alarm with its full timeline (transitions with actors, webhook deliveries, closed-loop deadlines)',
          params: AlarmIdParams,
          response: {
            200: z.object({
              alarm: AlarmView,
              timeline: z.array(AlarmView),
              deliveries: z.array(DeliveryView),
              deadlines: z.array(Deadline),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const alarm = await findAlarm(ctx, p, req.params.id);
        const [stored, deliveries] = await Promise.all([
          ctx.history.alarmTimeline(alarm.alarmId),
          ctx.history.alarmDeliveries(alarm.alarmId),
        ]);
        const bySeq = new Map(stored.map((t) => [t.seq, t]));
        if (!bySeq.has(alarm.seq)) bySeq.set(alarm.seq, alarm);
        const timeline = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
        return { alarm, timeline, deliveries, deadlines: closedLoopDeadlines(ctx, alarm, timeline) };
      },
    );
  };

/** 核实 → 处置 → 反馈 → 销号 deadlines from the raise, per the escalation policy of the enterprise's class. */
function closedLoopDeadlines(
  ctx: RouteContext,
  alarm: z.infer<typeof AlarmView>,
  timeline: z.infer<typeof AlarmView>[],
): z.infer<typeof Deadline>[] {
  const e = ctx.registry.enterprise(alarm.enterpriseId);
  const loop = e ? ctx.registry.policyFor(e.classification.code, alarm.level)?.closedLoop : undefined;
  if (!loop) return [];
  const now = ctx.now();
  const doneAt = (t: string) => timeline.find((x) => x.transition === t)?.emittedAt ?? null;
  const steps = [
    { step: 'verify' as const, within: loop.verifyWithinMs },
    { step: 'dispose' as const, within: loop.disposeWithinMs },
    { step: 'feedback' as const, within: loop.feedbackWithinMs ?? loop.closeWithinMs },
    { step: 'close' as const, within: loop.closeWithinMs },
  ];
  return steps.map(({ step, within }) => {
    const dueAt = alarm.episodeStart + within;
    const done = doneAt(step);
    return { step, dueAt, doneAt: done, overdue: done === null ? now > dueAt : done > dueAt };
  });
}
