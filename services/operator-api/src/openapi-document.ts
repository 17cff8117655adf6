import { createLogger } from '@yujing/logger';
import { createMetricsRegistry } from '@yujing/service-runtime';
import { type AppDeps, build } from './app';

/**
 * A collaborator that does nothing: the document is read from the routes' schemas, no request is
 * served, so no collaborator is ever asked for data.
 */
function inert<T>(): T {
  const noop = () => undefined;
  return new Proxy({}, { get: (_, prop) => (prop === 'then' ? undefined : noop) }) as T;
}

/**
 * The OpenAPI document the API serves at /docs/json, built from the routes without any
 * infrastructure. `pnpm run docs:generate` writes it to schemas/operator-api.openapi.json, and
 * test/unit/contracts.test.ts fails when the committed file differs.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  // Partial: deps added to AppDeps later are absent here unless build() itself needs them.
  const deps: Partial<AppDeps> = {
    logger: createLogger({ service: 'operator-api', level: 'silent' }),
    verifier: inert(),
    registry: inert(),
    hub: inert(),
    bus: inert(),
    history: inert(),
    deliveries: inert(),
    registryWriter: inert(),
    metrics: createMetricsRegistry('operator-api'),
    readiness: {},
    commandWaitMs: 1000,
    rateLimitPerMin: 1,
  };
  const { app } = await build(deps as AppDeps);
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
