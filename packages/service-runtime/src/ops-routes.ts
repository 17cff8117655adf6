import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import type { Registry } from 'prom-client';

/** A readiness check: resolves true when the dependency it names can serve. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface OpsRoutesOptions {
  registry: Registry;
  /** Named checks; /readyz answers 200 only when all pass. */
  readiness: Record<string, ReadinessCheck>;
  /** Set while shutting down: /readyz then answers 503 so load balancers stop sending work. */
  isShuttingDown?: () => boolean;
}

/** Ops routes stay out of the OpenAPI document (`hide` is read by @fastify/swagger). */
const HIDDEN = { schema: { hide: true } } as unknown as RouteShorthandOptions;

/**
 * /healthz (the process is alive), /readyz (every dependency is ready) and /metrics
 * (Prometheus text format) on any Fastify instance.
 */
export function registerOpsRoutes(app: FastifyInstance, opts: OpsRoutesOptions): void {
  app.get('/healthz', HIDDEN, async () => ({ status: 'ok' }));
  app.get('/readyz', HIDDEN, async (_req, reply) => {
    const checks: Record<string, boolean> = {};
    for (const [name, check] of Object.entries(opts.readiness)) {
      try {
        checks[name] = await check();
      } catch {
        checks[name] = false;
      }
    }
    const shuttingDown = opts.isShuttingDown?.() ?? false;
    const ready = !shuttingDown && Object.values(checks).every(Boolean);
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not-ready', shuttingDown, checks });
  });
  app.get('/metrics', HIDDEN, async (_req, reply) => {
    reply.header('content-type', opts.registry.contentType);
    return opts.registry.metrics();
  });
}
