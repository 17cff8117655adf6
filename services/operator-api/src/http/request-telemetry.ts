import type { Logger } from '@yujing/logger';
import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';
import { redactUrl } from './redact-url';

/** The route label of a request that matched no route (404s), so unknown URLs add no series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Probes and scrapes: counted in the histogram, but not access-logged (one line every few seconds each). */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Request seconds; streams (SSE, WebSocket) are observed when they end, so their route's
 * buckets say how long clients stay connected rather than how fast the API answers.
 */
const BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Per request, when its response is sent: `yujing_api_request_duration_seconds{route,method,status}`
 * (route = the route template, e.g. `/api/v1/alarms/:id`, never the raw URL) and one pino access
 * log line. The line names the method, the URL with credential query values redacted
 * (`?access_token=` of stream clients, redact-url.ts), the route, status, duration, client IP and
 * the principal's id; it never carries headers, so the Authorization header cannot reach it.
 */
export function installRequestTelemetry(
  app: FastifyInstance,
  opts: { registry: Registry; logger: Logger },
): void {
  const duration = new Histogram({
    name: 'yujing_api_request_duration_seconds',
    help: 'operator-api HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: BUCKETS_S,
    registers: [opts.registry],
  });
  const log = opts.logger.child({ component: 'access-log' });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    duration.observe({ route, method: req.method, status: String(status) }, ms / 1000);
    if (QUIET_ROUTES.has(route)) return;
    log.info(
      {
        method: req.method,
        url: redactUrl(req.url),
        route,
        status,
        durationMs: Math.round(ms * 10) / 10,
        ip: req.ip,
        reqId: req.id,
        ...(req.principal ? { principal: req.principal.id, role: req.principal.role } : {}),
      },
      'request',
    );
  });
}
