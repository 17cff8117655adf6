import { AdminCode, TipOffRecord } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { criterionFor } from '../hazards/hazard-criteria';
import { reportHazard } from '../hazards/hazard-lifecycle';
import { errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import { WindowCounter } from '../http/window-counter';
import type { RouteContext } from '../route-context';
import { supervisionErrors } from '../supervision-errors';
import { HazardView } from './hazard-routes';
import {
  actorOf,
  countyInScope,
  enterpriseInScope,
  newRecordId,
  newWriteId,
  recordOrThrow,
  store,
} from './supervision-access';

export interface TipOffLimits {
  /** Reports per client address and hour (TIP_OFF_PER_IP_PER_HOUR). */
  perIpPerHour: number;
  /** Reports per hour across all addresses, per instance (TIP_OFF_TOTAL_PER_HOUR). */
  totalPerHour: number;
}
export const DEFAULT_TIP_OFF_LIMITS: TipOffLimits = { perIpPerHour: 5, totalPerHour: 500 };

const TipOffBody = z
  .object({
    county: AdminCode.describe('county (区县) where the enterprise is'),
    enterpriseName: z.string().trim().min(2).max(100),
    description: z.string().trim().min(10).max(4000).describe('what the hazard is and where'),
    contact: z.string().trim().min(5).max(64).optional().describe('leave out to report anonymously'),
  })
  .strict();

const TipOffView = TipOffRecord.meta({ id: 'TipOff' });

/**
 * 举报 intake: POST /public/v1/tip-offs takes a report without a token (anonymous allowed),
 * rate-limited per address and in total. A report counts only once a regulator of its county
 * accepts it (it becomes a hazard in `reported`), or is dismissed with a reason.
 */
export const publicTipOffRoutes =
  (ctx: RouteContext, limits: TipOffLimits): FastifyPluginAsyncZod =>
  async (app) => {
    const perIp = new WindowCounter(3_600_000, 100_000, ctx.now);
    const total = new WindowCounter(3_600_000, 1, ctx.now);
    app.post(
      '/public/v1/tip-offs',
      {
        // Anyone may call it: a report is a few KiB at most, so no 4 MiB body is parsed for a stranger.
        bodyLimit: 16 * 1024,
        schema: {
          tags: ['hazards'],
          summary:
            '举报: report a suspected major hazard (no token; anonymous allowed; moderated before it counts)',
          security: [],
          body: TipOffBody,
          response: {
            202: z.object({ id: z.string(), status: z.literal('pending'), message: z.string() }),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const ip = perIp.hit(req.ip);
        const all = total.hit('all');
        if (ip.current > limits.perIpPerHour || all.current > limits.totalPerHour) {
          reply.header('retry-after', String(Math.ceil(Math.max(ip.ttl, all.ttl) / 1000)));
          throw supervisionErrors.YJ_ERR_TIP_OFF_RATE_LIMITED();
        }
        const now = ctx.now();
        const b = req.body;
        const record: TipOffRecord = {
          type: 'tip-off',
          id: newRecordId('to', now),
          version: 1,
          writeId: newWriteId(),
          county: b.county,
          enterpriseName: b.enterpriseName,
          description: b.description,
          ...(b.contact ? { contact: b.contact } : {}),
          receivedAt: now,
          status: 'pending',
        };
        await store(ctx, record);
        ctx.log.info({ tipOffId: record.id, county: b.county, anonymous: !b.contact }, 'tip-off received');
        return reply
          .code(202)
          .send({ id: record.id, status: 'pending' as const, message: '举报已受理，核实后将依法处理' });
      },
    );
  };

const ModerationQuery = z.object({
  status: z.enum(['pending', 'accepted', 'dismissed']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const AcceptBody = z
  .object({
    enterpriseId: z.string().min(1).max(64),
    criterionId: z.string().min(1).max(64),
    title: z.string().min(1).max(200),
    comment: z.string().max(2000).optional(),
  })
  .strict();
const DismissBody = z.object({ reason: z.string().min(1).max(1000) }).strict();

/** Moderation of tip-offs by the regulators of their county (action 'moderate'). */
export const tipOffModerationRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const pendingInScope = (id: string, scope: Parameters<typeof countyInScope>[0]) => {
      const t = ctx.supervision.tipOff(id);
      if (!t || !countyInScope(scope, t.county))
        throw apiErrors.YJ_ERR_API_NOT_FOUND(`tip-off ${id} not found`);
      if (t.status !== 'pending')
        throw supervisionErrors.YJ_ERR_HAZARD_TRANSITION(`tip-off ${id} is already ${t.status}`);
      return t;
    };

    app.get(
      '/tip-offs',
      {
        schema: {
          tags: ['hazards'],
          summary: 'Tip-offs (举报) of the counties in the caller’s scope, newest first',
          querystring: ModerationQuery,
          response: {
            200: z.object({ items: z.array(TipOffView), count: z.number().int() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'moderate');
        const items = ctx.supervision
          .tipOffs()
          .filter((t) => countyInScope(p.scope, t.county))
          .filter((t) => req.query.status === undefined || t.status === req.query.status)
          .sort((a, b) => b.receivedAt - a.receivedAt)
          .slice(0, req.query.limit);
        return { items, count: items.length };
      },
    );

    app.post(
      '/tip-offs/:id/accept',
      {
        schema: {
          tags: ['hazards'],
          summary: 'Accept a tip-off: it becomes a hazard (state reported) of the named enterprise',
          params: z.object({ id: z.string().min(1).max(64) }),
          body: AcceptBody,
          response: { 201: z.object({ tipOff: TipOffView, hazard: HazardView }), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = authorize(req, 'moderate');
        const t = pendingInScope(req.params.id, p.scope);
        const enterprise = enterpriseInScope(ctx, p, req.body.enterpriseId);
        const criterion = criterionFor(req.body.criterionId, enterprise.industries);
        if (!criterion)
          throw supervisionErrors.YJ_ERR_HAZARD_CRITERION(
            `criterion ${req.body.criterionId} does not apply to ${enterprise.name}`,
          );
        const now = ctx.now();
        const hazard = recordOrThrow(
          reportHazard(
            {
              id: `hz-${t.id}`,
              writeId: newWriteId(),
              enterpriseId: enterprise.id,
              criterionId: criterion.id,
              title: req.body.title,
              description: t.description,
              source: { kind: 'public-report', tipOffId: t.id },
              comment: req.body.comment,
            },
            actorOf(p),
            now,
          ),
        );
        // The tip-off's version decides between two moderators; its hazard id is derived from it.
        const accepted: TipOffRecord = {
          ...t,
          version: t.version + 1,
          writeId: newWriteId(),
          status: 'accepted',
          moderatedBy: actorOf(p),
          moderatedAt: now,
          hazardId: hazard.id,
        };
        await store(ctx, accepted);
        await store(ctx, hazard);
        ctx.log.info({ tipOffId: t.id, hazardId: hazard.id, actor: p.id }, 'tip-off accepted');
        return reply.code(201).send({ tipOff: accepted, hazard: { ...hazard, overdue: false } });
      },
    );

    app.post(
      '/tip-offs/:id/dismiss',
      {
        schema: {
          tags: ['hazards'],
          summary: 'Dismiss a tip-off with a reason (it never counts)',
          params: z.object({ id: z.string().min(1).max(64) }),
          body: DismissBody,
          response: { 200: TipOffView, ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'moderate');
        const t = pendingInScope(req.params.id, p.scope);
        const dismissed: TipOffRecord = {
          ...t,
          version: t.version + 1,
          writeId: newWriteId(),
          status: 'dismissed',
          moderatedBy: actorOf(p),
          moderatedAt: ctx.now(),
          reason: req.body.reason,
        };
        await store(ctx, dismissed);
        return dismissed;
      },
    );
  };
