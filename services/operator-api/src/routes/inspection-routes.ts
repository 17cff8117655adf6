import { type HazardRecord, InspectionRecord, LoopState, ResponsiblePerson } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { listedFor, visibleTo } from '../auth/alarm-scope';
import { criterionFor } from '../hazards/hazard-criteria';
import { applyHazardAction, isOverdue, OPEN_STATES, reportHazard } from '../hazards/hazard-lifecycle';
import { BodyTime, errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import { INSPECTION_CAPS } from '../inspections/inspection-caps';
import {
  capRefusal,
  type EnterpriseRiskSignals,
  inspectionWorklist,
} from '../inspections/inspection-worklist';
import { openLoopOf } from '../reports/open-loops';
import type { RouteContext } from '../route-context';
import { supervisionErrors } from '../supervision-errors';
import { HazardView } from './hazard-routes';
import {
  actorOf,
  enterpriseInScope,
  newRecordId,
  newWriteId,
  recordOrThrow,
  store,
} from './supervision-access';

const RegionQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional()
    .describe('province, city or county code'),
  enterprise: z.string().min(1).max(64).optional(),
});

const FindingBody = z
  .object({
    title: z.string().min(1).max(200),
    description: z.string().max(4000).optional(),
    criterionId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('set: a major hazard, registered in the register'),
    responsible: ResponsiblePerson.optional(),
    deadline: BodyTime.optional().describe('with responsible: the hazard is confirmed on the spot'),
  })
  .strict();

const InspectionBody = z
  .object({
    enterpriseId: z.string().min(1).max(64),
    kind: z.enum(['administrative', 'supervisory']).default('administrative'),
    inspectedAt: BodyTime.optional().describe('default: now'),
    summary: z.string().max(4000).optional(),
    findings: z.array(FindingBody).max(100).default([]),
  })
  .strict();

const InspectionView = InspectionRecord.meta({ id: 'Inspection' });
const OPEN_LOOP_STATES = LoopState.options.filter((s) => s !== 'closed');

/**
 * 执法检查 (差异化监管): the ranked worklist of a region within the yearly caps, inspection records,
 * and recording one — its findings with a criterion become hazards (source inspection).
 */
export const inspectionRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/inspections/worklist',
      {
        schema: {
          tags: ['inspections'],
          summary:
            'Inspection worklist of the caller’s region for this year, highest risk first, within the caps',
          querystring: RegionQuery,
          response: {
            200: z.object({
              year: z.number().int(),
              capsSource: z.string(),
              plan: z
                .object({
                  enterprises: z.number().int(),
                  cap: z.number().int().describe('sum of the yearly caps'),
                  done: z.number().int(),
                  remaining: z.number().int(),
                })
                .describe('the region’s inspection plan for the year: capacity within the caps'),
              items: z.array(
                z.object({
                  enterpriseId: z.string(),
                  name: z.string(),
                  county: z.string(),
                  classification: z.string(),
                  grade: z.string(),
                  category: z.string(),
                  cap: z.number().int(),
                  done: z.number().int(),
                  remaining: z.number().int(),
                  supervisoryDone: z.number().int(),
                  score: z.number(),
                  reasons: z.array(z.string()),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'inspections');
        const filter = { region: req.query.region, enterprise: req.query.enterprise };
        const visible = visibleTo(ctx.registry, p.scope, filter);
        const enterprises = ctx.registry.enterprises().filter((e) => visible(e.id));
        const ids = enterprises.map((e) => e.id);
        const now = ctx.now();
        const signals = new Map<string, EnterpriseRiskSignals>(
          ids.map((id) => [
            id,
            { openHazards: 0, overdueHazards: 0, openLoops: 0, overdueLoops: 0, online: false },
          ]),
        );
        for (const h of ctx.supervision.hazards()) {
          const s = signals.get(h.enterpriseId);
          if (!s || !OPEN_STATES.has(h.state)) continue;
          s.openHazards += 1;
          if (isOverdue(h, now)) s.overdueHazards += 1;
        }
        if (ids.length > 0) {
          const [alarms, status] = await Promise.all([
            ctx.history.currentAlarms({ enterpriseIds: ids, loops: OPEN_LOOP_STATES, limit: 10_000 }),
            ctx.history.gatewayStatusAt(now, ids),
          ]);
          for (const a of alarms) {
            const s = signals.get(a.enterpriseId);
            const e = ctx.registry.enterprise(a.enterpriseId);
            if (!s || !e) continue;
            const loop = openLoopOf(
              a,
              ctx.registry.policyFor(e.classification.code, a.level)?.closedLoop,
              now,
            );
            if (!loop) continue;
            s.openLoops += 1;
            if (loop.overdue) s.overdueLoops += 1;
          }
          for (const g of status) {
            const s = signals.get(g.enterpriseId);
            if (s && g.online) s.online = true;
          }
        }
        const year = new Date(now + 8 * 3_600_000).getUTCFullYear();
        const items = inspectionWorklist(enterprises, ctx.supervision.inspections(), signals, now);
        const sum = (f: (i: (typeof items)[number]) => number) => items.reduce((n, i) => n + f(i), 0);
        return {
          year,
          capsSource: INSPECTION_CAPS.source,
          plan: {
            enterprises: items.length,
            cap: sum((i) => i.cap),
            done: sum((i) => i.done),
            remaining: sum((i) => i.remaining),
          },
          items,
        };
      },
    );

    app.get(
      '/inspections',
      {
        schema: {
          tags: ['inspections'],
          summary: 'Inspection records in the caller’s scope, newest first',
          querystring: RegionQuery,
          response: {
            200: z.object({ items: z.array(InspectionView), count: z.number().int() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'read');
        const filter = { region: req.query.region, enterprise: req.query.enterprise };
        const listed = listedFor(ctx.registry, p.scope, filter);
        const items = ctx.supervision
          .inspections()
          .filter((i) => listed(i.enterpriseId))
          .sort((a, b) => b.inspectedAt - a.inspectedAt);
        return { items, count: items.length };
      },
    );

    app.post(
      '/inspections',
      {
        schema: {
          tags: ['inspections'],
          summary: 'Record an inspection; findings with a criterion become hazards',
          body: InspectionBody,
          response: {
            201: z.object({ inspection: InspectionView, hazards: z.array(HazardView) }),
            409: errorResponses[403],
            422: errorResponses[403],
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const p = authorize(req, 'inspections');
        const b = req.body;
        const enterprise = enterpriseInScope(ctx, p, b.enterpriseId);
        const now = ctx.now();
        const at = b.inspectedAt ?? now;
        if (at > now) throw apiErrors.YJ_ERR_API_VALIDATION('inspectedAt is in the future');
        const refusal = capRefusal(enterprise, ctx.supervision.inspections(), b.kind, at);
        if (refusal) throw supervisionErrors.YJ_ERR_INSPECTION_CAP(refusal);
        b.findings.forEach((f, i) => {
          if (f.criterionId === undefined) return;
          if (!criterionFor(f.criterionId, enterprise.industries))
            throw supervisionErrors.YJ_ERR_HAZARD_CRITERION(
              `findings[${i}].criterionId ${f.criterionId} does not apply to ${enterprise.name}`,
            );
          if (f.deadline !== undefined && f.deadline <= now)
            throw apiErrors.YJ_ERR_API_VALIDATION(`findings[${i}].deadline must be in the future`);
        });
        const actor = actorOf(p);
        const inspectionId = newRecordId('in', now);
        const hazards: HazardRecord[] = [];
        /** Every version in order (a hazard confirmed on the spot is stored as reported, then confirmed). */
        const versions: HazardRecord[] = [];
        const findings = b.findings.map((f) => {
          if (f.criterionId === undefined) return { title: f.title, description: f.description ?? '' };
          let h = recordOrThrow(
            reportHazard(
              {
                id: newRecordId('hz', now),
                writeId: newWriteId(),
                enterpriseId: enterprise.id,
                criterionId: f.criterionId,
                title: f.title,
                description: f.description,
                source: { kind: 'inspection', inspectionId },
                responsible: f.responsible,
              },
              actor,
              now,
            ),
          );
          versions.push(h);
          if (f.deadline !== undefined && f.responsible) {
            h = recordOrThrow(
              applyHazardAction(
                h,
                {
                  action: 'confirm',
                  deadline: f.deadline,
                  responsible: f.responsible,
                  comment: '检查现场确认',
                },
                actor,
                now,
                newWriteId(),
              ),
            );
            versions.push(h);
          }
          hazards.push(h);
          return {
            title: f.title,
            description: f.description ?? '',
            criterionId: f.criterionId,
            hazardId: h.id,
          };
        });
        const inspection: InspectionRecord = {
          type: 'inspection',
          id: inspectionId,
          version: 1,
          writeId: newWriteId(),
          enterpriseId: enterprise.id,
          kind: b.kind,
          inspectedAt: at,
          inspectors: [actor],
          summary: b.summary ?? '',
          findings,
        };
        // Hazards first: an inspection record never names a hazard that is not stored.
        for (const h of versions) await store(ctx, h);
        await store(ctx, inspection);
        ctx.log.info(
          { inspectionId, enterpriseId: enterprise.id, hazards: hazards.map((h) => h.id), actor: p.id },
          'inspection recorded',
        );
        return reply
          .code(201)
          .send({ inspection, hazards: hazards.map((h) => ({ ...h, overdue: isOverdue(h, now) })) });
      },
    );
  };
