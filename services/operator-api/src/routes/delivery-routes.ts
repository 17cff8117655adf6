import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { regionOf, scopeCovers } from '../auth/scope-filter';
import { errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import { ProblemDetails } from '../http/problem-details';
import type { RouteContext } from '../route-context';

const DeadDelivery = z.object({
  jobId: z.string(),
  deliveryId: z.string(),
  subscriptionId: z.string(),
  alarmId: z.string(),
  enterpriseId: z.string(),
  event: z.string(),
  attempts: z.number().int(),
  failedReason: z.string(),
  failedAt: z.number().nullable(),
});

/** Dead-lettered webhook deliveries (failed jobs of the BullMQ deliveries queue) and their replay. */
export const deliveryRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/deliveries/dead-lettered',
      {
        schema: {
          tags: ['admin'],
          summary: 'Webhook deliveries that exhausted their retries',
          querystring: z.object({
            offset: z.coerce.number().int().min(0).default(0),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ items: z.array(DeadDelivery) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'deliveries');
        const rows = await ctx.deliveries.deadLettered(req.query.offset, req.query.limit);
        return {
          items: rows.filter((d) =>
            scopeCovers(p.scope, d.enterpriseId, regionOf(ctx.registry, d.enterpriseId)),
          ),
        };
      },
    );

    app.post(
      '/admin/deliveries/:jobId/replay',
      {
        schema: {
          tags: ['admin'],
          summary: 'Retry a dead-lettered delivery (same deliveryId, so receivers de-duplicate)',
          params: z.object({ jobId: z.string().min(1).max(200) }),
          response: {
            200: z.object({ jobId: z.string(), status: z.literal('replayed') }),
            409: ProblemDetails,
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'deliveries');
        // Scope first: a county admin may not replay (re-send) another region's webhook deliveries.
        const dead = await ctx.deliveries.find(req.params.jobId);
        if (dead && !scopeCovers(p.scope, dead.enterpriseId, regionOf(ctx.registry, dead.enterpriseId)))
          throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
            `delivery job ${req.params.jobId} is outside the scope ${p.scope.level}:${p.scope.code}`,
          );
        const outcome = await ctx.deliveries.replay(req.params.jobId);
        if (outcome === 'not-found')
          throw apiErrors.YJ_ERR_API_NOT_FOUND(`delivery job ${req.params.jobId} not found`);
        if (outcome === 'not-failed')
          throw apiErrors.YJ_ERR_API_CONFLICT(`delivery job ${req.params.jobId} is not dead-lettered`);
        ctx.log.info({ actor: p.id, jobId: req.params.jobId }, 'delivery replayed');
        return { jobId: req.params.jobId, status: 'replayed' as const };
      },
    );
  };
