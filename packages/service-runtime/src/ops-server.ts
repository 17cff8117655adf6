import Fastify, { type FastifyInstance } from 'fastify';
import { type OpsRoutesOptions, registerOpsRoutes } from './ops-routes';

export interface OpsServerOptions extends OpsRoutesOptions {
  host: string;
  port: number;
}

/**
 * A small HTTP server with only /healthz, /readyz and /metrics, for services that have no
 * HTTP API of their own (rules-worker, store-writer, dispatcher, kafka-ingest).
 */
export async function startOpsServer(opts: OpsServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, opts);
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
