import { HazardAction, HazardRecord, HazardState, ResponsiblePerson } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { listedFor, visibleTo } from '../auth/alarm-scope';
import { clearanceReport } from '../hazards/clearance-report';
import { criterionFor, HAZARD_CRITERIA } from '../hazards/hazard-criteria';
import { applyHazardAction, isOverdue, reportHazard } from '../hazards/hazard-lifecycle';
import { BodyTime, errorResponses, TimeParam } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import type { RouteContext } from '../route-context';
import { supervisionErrors } from '../supervision-errors';
import {
  actorOf,
  enterpriseInScope,
  newRecordId,
  newWriteId,
  recordOrThrow,
  store,
} from './supervision-access';

export const HazardView = HazardRecord.extend({
  overdue: z.boolean().describe('past its 整改期限 and not reported rectified'),
}).meta({ id: 'Hazard' });

const HazardQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('province, city or county code'),
  enterprise: z.string().min(1).max(64).optional(),
  state: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(HazardState))
    .optional()
    .describe('comma-separated states'),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const NewHazardBody = z
  .object({
    source: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('alarm'), alarmId: z.string().min(1).max(256) }),
      z.object({ kind: z.literal('loop-finding'), alarmId: z.string().min(1).max(256) }),
      z.object({ kind: z.literal('inspector') }),
    ]),
    enterpriseId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('required for inspector entries; from the alarm otherwise (must match when given)'),
    criterionId: z.string().min(1).max(64),
    title: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    responsible: ResponsiblePerson.optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict();

const ActionBody = z
  .object({
    comment: z.string().min(1).max(2000).optional(),
    attachments: z.array(z.string().min(1).max(512)).max(20).optional(),
    responsible: ResponsiblePerson.optional(),
    deadline: BodyTime.optional().describe('整改期限 (confirm)'),
    plan: z.string().min(1).max(4000).optional().describe('整改方案 (plan)'),
  })
  .strict();

const CriterionView = z.object({
  id: z.string(),
  industries: z.array(z.string()),
  standard: z.string(),
  clause: z.string().nullable(),
  text: z.string(),
  tag: z.string(),
  source: z.string(),
});

/**
 * 重大事故隐患 register (docs/hazards.md): criteria, list, one hazard, register one (from an alarm, a
 * closed-loop finding or an inspector) and its lifecycle actions. Public reports come in through
 * tip-off moderation (tip-off-routes.ts), inspection findings through inspection-routes.ts.
 */
export const hazardRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const view = (h: HazardRecord) => ({ ...h, overdue: isOverdue(h, ctx.now()) });

    app.get(
      '/hazard-criteria',
      {
        schema: {
          tags: ['hazards'],
          summary: '重大事故隐患 criteria (判定标准) with their sources',
          response: { 200: z.object({ items: z.array(CriterionView) }), ...errorResponses },
        },
      },
      async (req) => {
        authorize(req, 'read');
        return { items: HAZARD_CRITERIA.map((c) => ({ ...c, industries: [...c.industries] })) };
      },
    );

    app.get(
      '/hazards',
      {
        schema: {
          tags: ['hazards'],
          summary: 'Hazards in the caller’s scope, overdue first, then by deadline',
          querystring: HazardQuery,
          response: {
            200: z.object({ items: z.array(HazardView), count: z.number().int() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const q = req.query;
        const filter = { enterprise: q.enterprise, region: q.region };
        const listed = listedFor(ctx.registry, p.scope, filter);
        const states = q.state ? new Set(q.state) : undefined;
        const items = ctx.supervision
          .hazards()
          .filter((h) => listed(h.enterpriseId))
          .filter((h) => states === undefined || states.has(h.state))
          .map(view)
          .filter((h) => q.overdue === undefined || h.overdue === q.overdue)
          .sort(
            (a, b) =>
              Number(b.overdue) - Number(a.overdue) ||
              (a.deadline ?? Infinity) - (b.deadline ?? Infinity) ||
              b.reportedAt - a.reportedAt,
          )
          .slice(0, q.limit);
        return { items, count: items.length };
      },
    );

    app.get(
      '/hazards/:id',
      {
        schema: {
          tags: ['hazards'],
          summary: 'One hazard with its history',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: { 200: HazardView, ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const h = ctx.supervision.hazard(req.params.id);
        if (!h || !visibleTo(ctx.registry, p.scope)(h.enterpriseId))
          throw apiErrors.YJ_ERR_API_NOT_FOUND(`hazard ${req.params.id} not found`);
        return view(h);
      },
    );

    app.post(
      '/hazards',
      {
        schema: {
          tags: ['hazards'],
          summary:
            'Register a hazard: promoted from an alarm or closed-loop finding, or entered by an inspector',
          body: NewHazardBody,
          response: { 201: HazardView, ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = authorize(req, 'hazards');
        const b = req.body;
        let enterpriseId = b.enterpriseId;
        if (b.source.kind !== 'inspector') {
          const alarm = ctx.hub.latest(b.source.alarmId) ?? (await ctx.history.alarm(b.source.alarmId));
          if (!alarm || !visibleTo(ctx.registry, p.scope)(alarm.enterpriseId))
            throw apiErrors.YJ_ERR_API_NOT_FOUND(`alarm ${b.source.alarmId} not found`);
          if (enterpriseId !== undefined && enterpriseId !== alarm.enterpriseId)
            throw apiErrors.YJ_ERR_API_VALIDATION(
              `enterpriseId ${enterpriseId} is not the alarm's enterprise ${alarm.enterpriseId}`,
            );
          enterpriseId = alarm.enterpriseId;
        }
        if (enterpriseId === undefined)
          throw apiErrors.YJ_ERR_API_VALIDATION('enterpriseId is required for an inspector entry');
        const enterprise = enterpriseInScope(ctx, p, enterpriseId);
        if (!criterionFor(b.criterionId, enterprise.industries))
          throw supervisionErrors.YJ_ERR_HAZARD_CRITERION(
            `criterion ${b.criterionId} does not apply to ${enterprise.name} (${enterprise.industries.join(', ')})`,
          );
        const now = ctx.now();
        const record = recordOrThrow(
          reportHazard(
            {
              id: newRecordId('hz', now),
              writeId: newWriteId(),
              enterpriseId,
              criterionId: b.criterionId,
              title: b.title,
              description: b.description,
              source: b.source,
              responsible: b.responsible,
              comment: b.comment,
            },
            actorOf(p),
            now,
          ),
        );
        await store(ctx, record);
        ctx.log.info(
          { hazardId: record.id, enterpriseId, source: b.source.kind, actor: p.id },
          'hazard registered',
        );
        return reply.code(201).send(view(record));
      },
    );

    app.post(
      '/hazards/:id/:action',
      {
        schema: {
          tags: ['hazards'],
          summary: 'Lifecycle action: confirm, reject, plan, rectified, verify (closes it) or reopen',
          params: z.object({ id: z.string().min(1).max(64), action: HazardAction }),
          body: ActionBody,
          response: {
            200: HazardView,
            409: errorResponses[403],
            422: errorResponses[403],
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'hazards');
        const h = ctx.supervision.hazard(req.params.id);
        if (!h || !visibleTo(ctx.registry, p.scope)(h.enterpriseId))
          throw apiErrors.YJ_ERR_API_NOT_FOUND(`hazard ${req.params.id} not found`);
        const now = ctx.now();
        const record = recordOrThrow(
          applyHazardAction(h, { action: req.params.action, ...req.body }, actorOf(p), now, newWriteId()),
        );
        await store(ctx, record);
        ctx.log.info(
          { hazardId: h.id, action: req.params.action, from: h.state, to: record.state, actor: p.id },
          'hazard action',
        );
        return view(record);
      },
    );
  };

const ClearanceQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('province, city or county code'),
  from: TimeParam.describe('start of the period (trend by Asia/Shanghai month from here)'),
  to: TimeParam,
});

/** GET /reports/hazard-clearance: 动态清零 per region × industry, overdue ones, time to clear, monthly trend. */
export const hazardReportRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/reports/hazard-clearance',
      {
        schema: {
          tags: ['reports', 'hazards'],
          summary: '重大事故隐患 动态清零: open and overdue per region and industry, time to clear, trend',
          querystring: ClearanceQuery,
          response: {
            200: z.object({
              from: z.number(),
              to: z.number(),
              cleared: z.boolean().describe('no confirmed major hazard open in scope'),
              rows: z.array(
                z.object({
                  level: z.enum(['province', 'city', 'county']),
                  code: z.string(),
                  industry: z.string(),
                  open: z.number().int(),
                  overdue: z.number().int(),
                  unconfirmed: z.number().int(),
                  closedInPeriod: z.number().int(),
                  medianTimeToClearMs: z.number().nullable(),
                }),
              ),
              trend: z.array(
                z.object({
                  month: z.string(),
                  confirmed: z.number().int(),
                  closed: z.number().int(),
                  openAtEnd: z.number().int(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'reports');
        const { from, to, region } = req.query;
        if (to <= from) throw apiErrors.YJ_ERR_API_VALIDATION('to must be after from');
        if (to - from > 366 * 86_400_000)
          throw apiErrors.YJ_ERR_API_VALIDATION('the period is at most a year');
        const visible = visibleTo(ctx.registry, p.scope, { region });
        const enterprises = ctx.registry.enterprises().filter((e) => visible(e.id));
        return { from, to, ...clearanceReport(ctx.supervision.hazards(), enterprises, from, to, ctx.now()) };
      },
    );
  };
