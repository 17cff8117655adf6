import { type RegionScope, RegistryDocument, RegistryEntityKind, WebhookSubscription } from '@yujing/schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import type { Principal } from '../auth/principal';
import { regionOf, scopeContains, scopeCovers } from '../auth/scope-filter';
import { errorResponses } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import type { RouteContext } from '../route-context';
import { MASK, maskGateway, maskPerson, maskSubscription } from './registry-masking';

const Published = z.object({ published: z.number().int(), deleted: z.number().int() });
const SubscriptionInput = WebhookSubscription.omit({ id: true, secret: true }).extend({
  secret: z.string().min(16).optional().describe('required when creating; omitted = keep the current secret'),
});
const SubscriptionView = WebhookSubscription.extend({ secret: z.literal(MASK) });

/** Admins write entities of enterprises in their scope; templates, policies and subscriptions need a province admin. */
function mayWrite(
  ctx: RouteContext,
  p: Principal,
  kind: RegistryEntityKind,
  enterpriseId: string | undefined,
): void {
  const ok =
    enterpriseId !== undefined
      ? scopeCovers(p.scope, enterpriseId, regionOf(ctx.registry, enterpriseId))
      : p.scope.level === 'province';
  if (!ok)
    throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
      `${kind} ${enterpriseId ?? ''} is outside the scope ${p.scope.level}:${p.scope.code}`.replace(
        '  ',
        ' ',
      ),
    );
}

/**
 * A subscription is written by a province admin whose scope contains the subscription's scope
 * (a Shanxi admin cannot point Hebei's webhooks elsewhere); for a replacement or a delete, the
 * stored subscription's scope must be inside too.
 */
function mayWriteSubscription(
  ctx: RouteContext,
  p: Principal,
  id: string,
  scope?: RegionScope,
  url?: string,
  urlPath = 'body.url',
): void {
  mayWrite(ctx, p, 'subscription', undefined);
  if (url !== undefined && ctx.webhooksRequireHttps && !url.startsWith('https:')) {
    const message = 'webhook URLs must be https outside development';
    throw apiErrors.YJ_ERR_API_VALIDATION(`${urlPath}: ${message}`, {
      context: { issues: [{ path: urlPath, message }] },
    });
  }
  const current = ctx.registry.subscriptions().find((s) => s.id === id);
  for (const s of [scope, current?.scope])
    if (s !== undefined && !scopeContains(ctx.registry, p.scope, s))
      throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
        `subscription ${id} (${s.level}:${s.code}) is outside the scope ${p.scope.level}:${p.scope.code}`,
      );
}

/**
 * People and duty rosters (phone numbers, robot URLs) are written by an admin whose scope contains
 * theirs, and for a replacement or delete the stored one's scope too.
 */
function mayWriteDuty(
  ctx: RouteContext,
  p: Principal,
  kind: 'person' | 'roster',
  id: string,
  scope?: RegionScope,
) {
  const stored = (kind === 'person' ? ctx.registry.people() : ctx.registry.rosters()).find(
    (x) => x.id === id,
  );
  for (const s of [scope, stored?.scope])
    if (s !== undefined && !scopeContains(ctx.registry, p.scope, s))
      throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(
        `${kind} ${id} (${s.level}:${s.code}) is outside the scope ${p.scope.level}:${p.scope.code}`,
      );
}

/** Subscriptions whose scope lies inside the caller's: a regulator sees no other region's webhooks. */
function subscriptionsInScope(ctx: RouteContext, p: Principal) {
  return ctx.registry.subscriptions().filter((s) => scopeContains(ctx.registry, p.scope, s.scope));
}

function listKind(
  ctx: RouteContext,
  p: Principal,
  kind: RegistryEntityKind,
  inScope: (enterpriseId: string) => boolean,
): unknown[] {
  const enterprises = ctx.registry.enterprises().filter((e) => inScope(e.id));
  switch (kind) {
    case 'enterprise':
      return enterprises;
    case 'gateway':
      return ctx.registry
        .gateways()
        .filter((g) => inScope(g.enterpriseId))
        .map(maskGateway);
    case 'point':
      return enterprises.flatMap((e) => ctx.registry.points(e.id));
    case 'policy':
      return ctx.registry.policies();
    case 'subscription':
      return subscriptionsInScope(ctx, p).map(maskSubscription);
    case 'person':
      return ctx.registry
        .people()
        .filter((x) => scopeContains(ctx.registry, p.scope, x.scope))
        .map(maskPerson);
    case 'roster':
      return ctx.registry.rosters().filter((x) => scopeContains(ctx.registry, p.scope, x.scope));
    case 'template':
      // Registry templates only: the built-in catalogue ships with the code and cannot be edited here.
      return ctx.registry.templates();
    case 'platform':
      // A platform that speaks for an enterprise outside the caller's scope stays hidden.
      return ctx.registry.platforms().filter((x) => x.enterprises.every(inScope));
  }
}

export const registryAdminRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/admin/registry/:kind',
      {
        schema: {
          tags: ['admin'],
          summary: 'Registry entities of one kind in the caller’s scope (secrets masked)',
          params: z.object({ kind: RegistryEntityKind }),
          response: {
            200: z.object({
              kind: RegistryEntityKind,
              version: z.number().int(),
              items: z.array(z.unknown()),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'registry-read');
        const inScope = (id: string) => scopeCovers(p.scope, id, regionOf(ctx.registry, id));
        return {
          kind: req.params.kind,
          version: ctx.registry.version,
          items: listKind(ctx, p, req.params.kind, inScope),
        };
      },
    );

    app.put(
      '/admin/registry',
      {
        schema: {
          tags: ['admin'],
          summary:
            'Create or update registry entities (published to yj.registry.v1 through @yujing/registry)',
          body: RegistryDocument,
          response: { 200: Published, ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'registry-write');
        const doc = req.body;
        for (const e of doc.enterprises) mayWrite(ctx, p, 'enterprise', e.id);
        for (const g of doc.gateways) mayWrite(ctx, p, 'gateway', g.enterpriseId);
        for (const pt of doc.points) mayWrite(ctx, p, 'point', pt.enterpriseId);
        for (const person of doc.people) mayWriteDuty(ctx, p, 'person', person.id, person.scope);
        for (const roster of doc.rosters) mayWriteDuty(ctx, p, 'roster', roster.id, roster.scope);
        if (doc.templates.length > 0) mayWrite(ctx, p, 'template', undefined);
        if (doc.policies.length > 0) mayWrite(ctx, p, 'policy', undefined);
        // A platform gains Kafka write access for its enterprises: a province-wide write, like templates.
        if (doc.platforms.length > 0) mayWrite(ctx, p, 'platform', undefined);
        for (const [i, sub] of doc.subscriptions.entries())
          mayWriteSubscription(ctx, p, sub.id, sub.scope, sub.url, `body.subscriptions.${i}.url`);
        const out = await ctx.registryWriter.publish(doc, `api:${p.id}`);
        ctx.log.info({ actor: p.id, ...out }, 'registry published');
        return out;
      },
    );

    app.delete(
      '/admin/registry/:kind/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Delete one registry entity (tombstone on yj.registry.v1)',
          params: z.object({ kind: RegistryEntityKind, id: z.string().min(1).max(200) }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = authorize(req, 'registry-write');
        const { kind, id } = req.params;
        const enterpriseId = ['enterprise', 'gateway', 'point'].includes(kind) ? id.split(':')[0] : undefined;
        if (kind === 'subscription') mayWriteSubscription(ctx, p, id);
        else if (kind === 'person' || kind === 'roster') mayWriteDuty(ctx, p, kind, id);
        else mayWrite(ctx, p, kind, enterpriseId);
        if (!exists(ctx, kind, id)) throw apiErrors.YJ_ERR_API_NOT_FOUND(`${kind} ${id} not found`);
        await ctx.registryWriter.delete(kind, id);
        ctx.log.info({ actor: p.id, kind, id }, 'registry entity deleted');
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/admin/subscriptions',
      {
        schema: {
          tags: ['admin'],
          summary: 'Webhook subscriptions (secrets masked)',
          response: { 200: z.object({ items: z.array(SubscriptionView) }), ...errorResponses },
        },
      },
      async (req) => {
        const p = authorize(req, 'registry-read');
        return {
          items: subscriptionsInScope(ctx, p).map(maskSubscription) as z.infer<typeof SubscriptionView>[],
        };
      },
    );

    app.put(
      '/admin/subscriptions/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create or replace a webhook subscription',
          params: z.object({ id: WebhookSubscription.shape.id }),
          body: SubscriptionInput,
          response: {
            200: z.object({ subscription: SubscriptionView, created: z.boolean() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        const p = authorize(req, 'registry-write');
        mayWriteSubscription(ctx, p, req.params.id, req.body.scope, req.body.url);
        const current = ctx.registry.subscriptions().find((s) => s.id === req.params.id);
        const secret = req.body.secret ?? current?.secret;
        if (secret === undefined)
          throw apiErrors.YJ_ERR_API_VALIDATION('body.secret: required when creating a subscription', {
            context: { issues: [{ path: 'body.secret', message: 'required when creating a subscription' }] },
          });
        const subscription = WebhookSubscription.parse({ ...req.body, id: req.params.id, secret });
        await ctx.registryWriter.publish(
          RegistryDocument.parse({ subscriptions: [subscription] }),
          `api:${p.id}`,
        );
        ctx.log.info({ actor: p.id, subscriptionId: subscription.id }, 'webhook subscription saved');
        return {
          subscription: maskSubscription(subscription) as z.infer<typeof SubscriptionView>,
          created: current === undefined,
        };
      },
    );

    app.delete(
      '/admin/subscriptions/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Delete a webhook subscription',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = authorize(req, 'registry-write');
        mayWriteSubscription(ctx, p, req.params.id);
        if (!exists(ctx, 'subscription', req.params.id))
          throw apiErrors.YJ_ERR_API_NOT_FOUND(`subscription ${req.params.id} not found`);
        await ctx.registryWriter.delete('subscription', req.params.id);
        return reply.code(204).send(null);
      },
    );
  };

function exists(ctx: RouteContext, kind: RegistryEntityKind, id: string): boolean {
  const [ent = '', rest = ''] = id.split(':');
  switch (kind) {
    case 'enterprise':
      return ctx.registry.enterprise(id) !== undefined;
    case 'gateway':
      return ctx.registry.gateway(ent, rest) !== undefined;
    case 'point':
      return ctx.registry.point(ent, rest) !== undefined;
    case 'policy':
      return ctx.registry.policies().some((x) => x.id === id);
    case 'subscription':
      return ctx.registry.subscriptions().some((x) => x.id === id);
    case 'person':
      return ctx.registry.people().some((x) => x.id === id);
    case 'roster':
      return ctx.registry.rosters().some((x) => x.id === id);
    case 'template':
      return ctx.registry.template(id) !== undefined;
    case 'platform':
      return ctx.registry.platform(id) !== undefined;
  }
}
