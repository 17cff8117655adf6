import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiErrors } from '../api-errors';
import { type ApiAction, roleMay } from '../auth/access-matrix';
import type { Principal } from '../auth/principal';
import type { TokenVerifier } from '../auth/token-verifier';
import { WindowCounter } from './window-counter';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** Streams may carry the token as `?access_token=` (EventSource and browsers' WebSocket cannot set headers). */
const STREAM_PATHS = ['/api/v1/stream/', '/api/v1/ws/'];

/**
 * Authenticates every /api/ request before anything else runs (rate limits key on the token).
 * Failed checks are counted per client IP (in memory, per instance): past `failuresPerMin` in a
 * minute further failures from that IP answer 429 with retry-after instead of 401. A valid token
 * still passes, so many users behind one proxy or NAT address are not locked out by one client
 * sending bad tokens. req.ip honours TRUST_PROXY only.
 */
export function installAuth(
  app: FastifyInstance,
  verifier: TokenVerifier,
  opts: { failuresPerMin?: number; now?: () => number } = {},
): void {
  const max = opts.failuresPerMin ?? 30;
  const failures = new WindowCounter(60_000, 100_000, opts.now);
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    let header = req.headers.authorization;
    if (!header && STREAM_PATHS.some((p) => req.url.startsWith(p))) {
      const token = new URL(req.url, 'http://x').searchParams.get('access_token');
      if (token) header = `Bearer ${token}`;
    }
    try {
      req.principal = await verifier.verify(header);
    } catch (err) {
      const seen = failures.hit(req.ip);
      if (seen.current <= max) throw err;
      const retryS = Math.max(1, Math.ceil(seen.ttl / 1000));
      reply.header('retry-after', String(retryS));
      throw apiErrors.YJ_ERR_API_RATE_LIMITED(
        `${seen.current} failed authentications from this address within a minute; retry in ${retryS} s`,
      );
    }
  });
}

/** The caller, checked against the role × action matrix; throws YJ_ERR_AUTH_FORBIDDEN. */
export function authorize(req: FastifyRequest, action: ApiAction): Principal {
  const p = req.principal;
  if (!p) throw apiErrors.YJ_ERR_AUTH_MISSING();
  if (!roleMay(p.role, action)) throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(`role ${p.role} may not ${action}`);
  return p;
}
