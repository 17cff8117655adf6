import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Logger } from '@yujing/logger';
import { type OpsRoutesOptions, registerOpsRoutes } from '@yujing/service-runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { installApiForward } from './api-forward';
import { type DevSignIn, installDevSignIn } from './dev-sign-in-routes';

export interface ConsoleDeps {
  logger: Logger;
  /** The Vite build: index.html and assets/. */
  distDir: string;
  operatorApiUrl: string;
  devSignIn?: DevSignIn;
  metrics: OpsRoutesOptions['registry'];
  isShuttingDown?: () => boolean;
}

export interface ConsoleService {
  app: FastifyInstance;
}

/**
 * Every asset comes from this origin and the page may talk only to it: the console works with
 * no CDN and no other host at run time (docs/console.md).
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The console service, fully wired but not listening (tests use inject(); main.ts listens). */
export async function buildConsole(deps: ConsoleDeps): Promise<ConsoleService> {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  const forwarded = new Counter({
    name: 'yujing_console_api_forwarded_total',
    help: 'requests forwarded to operator-api, by upstream status (502 = unreachable)',
    labelNames: ['status'],
    registers: [deps.metrics],
  });
  const forward = installApiForward(app, {
    upstream: new URL(deps.operatorApiUrl),
    logger: deps.logger,
    forwarded,
  });
  new Gauge({
    name: 'yujing_console_open_forwards',
    help: 'forwarded exchanges still open (mostly alarm streams)',
    registers: [deps.metrics],
    collect() {
      this.set(forward.open());
    },
  });
  registerOpsRoutes(app, {
    registry: deps.metrics,
    readiness: { assets: () => existsSync(join(deps.distDir, 'index.html')) },
    ...(deps.isShuttingDown ? { isShuttingDown: deps.isShuttingDown } : {}),
  });
  installDevSignIn(app, deps.devSignIn);
  app.addHook('onSend', async (req, reply) => {
    if (!req.url.startsWith('/api/')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    }
  });
  // Links in notifications (alert-dispatcher's NOTIFY_CONSOLE_BASE_URL/alarms/<id>) open the alarm page.
  app.get<{ Params: { id: string } }>('/alarms/:id', async (req, reply) =>
    reply.redirect(`/#/alarm/${encodeURIComponent(req.params.id)}`, 302),
  );
  await app.register(fastifyStatic, { root: deps.distDir, index: 'index.html', wildcard: true });
  return { app };
}
