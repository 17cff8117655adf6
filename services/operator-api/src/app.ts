import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { Logger } from '@yujing/logger';
import { type OpsRoutesOptions, type ReadinessCheck, registerOpsRoutes } from '@yujing/service-runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { LocalRevocations, type TokenRevocations } from './auth/token-revocation';
import type { TokenVerifier } from './auth/token-verifier';
import type { CommandBus, DeliveryQueue, HistoryStore, RegistryView, RegistryWriter } from './collaborators';
import type { AlarmEventHub } from './feed/alarm-event-hub';
import { type StreamLimits, StreamRegistry } from './feed/stream-registry';
import { installAuth } from './http/auth-hook';
import { installProblemHandlers } from './http/problem-details';
import { redisWithLocalFallback } from './http/rate-limit-store';
import { installRequestTelemetry } from './http/request-telemetry';
import type { RouteContext } from './route-context';
import { type AckLinkOptions, ackLinkRoutes } from './routes/ack-link-routes';
import { alarmActionRoutes } from './routes/alarm-action-routes';
import { alarmReadRoutes } from './routes/alarm-read-routes';
import { deliveryRoutes } from './routes/delivery-routes';
import { enterpriseRoutes } from './routes/enterprise-routes';
import { hazardReportRoutes, hazardRoutes } from './routes/hazard-routes';
import { inspectionRoutes } from './routes/inspection-routes';
import { loopRoutes } from './routes/loop-routes';
import { maintenanceRoutes } from './routes/maintenance-routes';
import { registryAdminRoutes } from './routes/registry-admin-routes';
import { reportRoutes } from './routes/report-routes';
import { rolloutRoutes } from './routes/rollout-routes';
import { streamRoutes } from './routes/stream-routes';
import {
  DEFAULT_TIP_OFF_LIMITS,
  publicTipOffRoutes,
  type TipOffLimits,
  tipOffModerationRoutes,
} from './routes/tip-off-routes';
import { tokenRoutes } from './routes/token-routes';
import { MemorySupervisionStore, type SupervisionStore } from './storage/supervision-store';

export interface AppDeps {
  logger: Logger;
  verifier: TokenVerifier;
  registry: RegistryView;
  hub: AlarmEventHub;
  bus: CommandBus;
  history: HistoryStore;
  deliveries: DeliveryQueue;
  registryWriter: RegistryWriter;
  metrics: OpsRoutesOptions['registry'];
  readiness: Record<string, ReadinessCheck>;
  isShuttingDown?: () => boolean;
  commandWaitMs: number;
  heartbeatMs?: number;
  transitionGraceMs?: number;
  rateLimitPerMin: number;
  /**
   * Shared rate-limit counters across instances; in-memory when absent (tests, single instance).
   * Give it a client with enableOfflineQueue off and a short commandTimeout: when Redis does not
   * answer, the limit is counted in memory instead (never a 500).
   */
  rateLimitRedis?: Redis;
  /** Failed token checks per IP and minute before 429 (AUTH_FAILURES_PER_MIN). */
  authFailuresPerMin?: number;
  /** Fastify trustProxy (TRUST_PROXY): false unless the API runs behind a proxy you name. */
  trustProxy?: boolean | string[];
  streamLimits?: Partial<StreamLimits>;
  /** The jti deny-list (Redis-backed in main.ts); in memory when absent. Pass the verifier's one. */
  revocations?: TokenRevocations;
  /** Longest token lifetime (s): a revocation without `until` lasts this long. */
  maxTokenLifetimeS?: number;
  /** Refuse plain-http webhook subscription URLs (production; the dispatcher would refuse them too). */
  webhooksRequireHttps?: boolean;
  now?: () => number;
  /** Acknowledge links from notification messages; the routes exist only when set (ACK_LINK_SECRET). */
  ackLinks?: AckLinkOptions;
  /** Hazards, tip-offs and inspections (ADR 0003); in memory when absent (route tests). */
  supervision?: SupervisionStore;
  /** Limits of the public tip-off (举报) intake. */
  tipOffLimits?: TipOffLimits;
}

export interface OperatorApi {
  app: FastifyInstance;
  streams: StreamRegistry;
  /** Every route the app serves (method and URL pattern), for the route × role × scope access test. */
  routes: readonly { method: string; url: string }[];
}

/** The operator API, fully wired but not listening (tests use app.inject(); main.ts listens). */
export async function build(deps: AppDeps): Promise<OperatorApi> {
  const app = Fastify({ logger: false, trustProxy: deps.trustProxy ?? false, bodyLimit: 4 * 1024 * 1024 });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app, deps.logger);
  installRequestTelemetry(app, { registry: deps.metrics, logger: deps.logger });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'yujing operator API',
        version: '1.0.0',
        description: 'Alarms, closed loop, streams, history, reports and administration (DESIGN §7)',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  const streams = new StreamRegistry(deps.streamLimits);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 64 * 1024 },
    // Replaces the plugin's default preClose, which runs before ours and closes every socket without a
    // status (1005): each stream gets its goodbye first (WS 1001, SSE `shutdown`), then stragglers close.
    preClose(done) {
      streams.closeAll();
      for (const client of this.websocketServer.clients) client.close(1001, 'server shutting down');
      this.websocketServer.close();
      done();
    },
  });

  installAuth(app, deps.verifier, {
    ...(deps.authFailuresPerMin !== undefined ? { failuresPerMin: deps.authFailuresPerMin } : {}),
  });
  await app.register(fastifyRateLimit, {
    global: true,
    allowList: (req) => !req.url.startsWith('/api/'),
    max: deps.rateLimitPerMin,
    timeWindow: 60_000,
    hook: 'preHandler',
    keyGenerator: (req) => req.principal?.tokenKey ?? req.ip,
    ...(deps.rateLimitRedis
      ? {
          store: redisWithLocalFallback(deps.rateLimitRedis, 'yj-api-rate:', (err) =>
            deps.logger.debug({ err: err.message }, 'rate limit counted locally: Redis did not answer'),
          ),
        }
      : {}),
  });

  registerOpsRoutes(app, {
    registry: deps.metrics,
    readiness: deps.readiness,
    ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
  });

  const ctx: RouteContext = {
    registry: deps.registry,
    hub: deps.hub,
    bus: deps.bus,
    history: deps.history,
    deliveries: deps.deliveries,
    registryWriter: deps.registryWriter,
    log: deps.logger,
    commandWaitMs: deps.commandWaitMs,
    heartbeatMs: deps.heartbeatMs ?? 15_000,
    transitionGraceMs: deps.transitionGraceMs ?? 1000,
    now: deps.now ?? Date.now,
    revocations: deps.revocations ?? new LocalRevocations(deps.now),
    maxTokenLifetimeS: deps.maxTokenLifetimeS ?? 86_400,
    webhooksRequireHttps: deps.webhooksRequireHttps ?? false,
    supervision: deps.supervision ?? new MemorySupervisionStore(),
  };
  await app.register(
    async (api) => {
      {
        const typed = api.withTypeProvider<ZodTypeProvider>();
        await typed.register(alarmReadRoutes(ctx));
        await typed.register(alarmActionRoutes(ctx));
        await typed.register(loopRoutes(ctx));
        await typed.register(maintenanceRoutes(ctx));
        await typed.register(streamRoutes(ctx, streams));
        await typed.register(enterpriseRoutes(ctx));
        await typed.register(reportRoutes(ctx));
        await typed.register(registryAdminRoutes(ctx));
        await typed.register(deliveryRoutes(ctx));
        await typed.register(tokenRoutes(ctx));
        await typed.register(hazardRoutes(ctx));
        await typed.register(hazardReportRoutes(ctx));
        await typed.register(tipOffModerationRoutes(ctx));
        await typed.register(inspectionRoutes(ctx));
        await typed.register(rolloutRoutes(ctx));
      }
    },
    { prefix: '/api/v1' },
  );
  // 举报 intake: no bearer token (anonymous allowed), its own per-address and total limits (docs/hazards.md).
  await app.register(async (r) => {
    await r
      .withTypeProvider<ZodTypeProvider>()
      .register(publicTipOffRoutes(ctx, deps.tipOffLimits ?? DEFAULT_TIP_OFF_LIMITS));
  });
  // One-time acknowledge links of notification messages: signed, no bearer token (docs/notifications.md).
  const ackLinks = deps.ackLinks;
  if (ackLinks)
    await app.register(async (r) => {
      await r.withTypeProvider<ZodTypeProvider>().register(ackLinkRoutes(ctx, ackLinks));
    });
  // Streams end with a goodbye before the server stops accepting, so clients reconnect elsewhere (the
  // WebSocket plugin's preClose above already did; closeAll is idempotent), then pending commands resolve.
  app.addHook('preClose', async () => {
    streams.closeAll();
    deps.hub.close();
  });
  return { app, streams, routes };
}
