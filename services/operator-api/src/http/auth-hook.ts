import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiErrors } from '../api-errors';
import { type ApiAction, roleMay } from '../auth/access-matrix';
import type { Principal } from '../auth/principal';
import type { TokenVerifier } from '../auth/token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** Streams may carry the token as `?access_token=` (EventSource and browsers' WebSocket cannot set headers). */
const STREAM_PATHS = ['/api/v1/stream/', '/api/v1/ws/'];

/** Authenticates every /api/ request before anything else runs (rate limits key on the token). */
export function installAuth(app: FastifyInstance, verifier: TokenVerifier): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    let header = req.headers.authorization;
    if (!header && STREAM_PATHS.some((p) => req.url.startsWith(p))) {
      const token = new URL(req.url, 'http://x').searchParams.get('access_token');
      if (token) header = `Bearer ${token}`;
    }
    req.principal = await verifier.verify(header);
  });
}

/** The caller, checked against the role × action matrix; throws YJ_ERR_AUTH_FORBIDDEN. */
export function authorize(req: FastifyRequest, action: ApiAction): Principal {
  const p = req.principal;
  if (!p) throw apiErrors.YJ_ERR_AUTH_MISSING();
  if (!roleMay(p.role, action)) throw apiErrors.YJ_ERR_AUTH_FORBIDDEN(`role ${p.role} may not ${action}`);
  return p;
}
