import { DispatcherConfig } from '../../../services/alert-dispatcher/src/config';
import { ConsoleConfig } from '../../../services/console/src/config';
import { GatewayIngestConfig } from '../../../services/gateway-ingest/src/config';
import { KafkaIngestConfig } from '../../../services/kafka-ingest/src/config';
import { OperatorApiConfig } from '../../../services/operator-api/src/config';
import { RulesWorkerConfig } from '../../../services/rules-worker/src/config';
import { StoreWriterConfig } from '../../../services/store-writer/src/config';

/** How a service is configured: its zod env schema and the variables of its HTTP listener. */
/** The part of a zod schema the tests use (the test workspace does not depend on zod itself). */
interface EnvSchema {
  safeParse(
    env: unknown,
  ):
    | { success: true; data: unknown }
    | { success: false; error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> } };
}

export interface ServiceConfigShape {
  schema: EnvSchema;
  /** Bind address variable (127.0.0.1 by default; deployments must set 0.0.0.0). */
  hostVar: string;
  /** Port of the listener that serves /healthz, /readyz and /metrics. */
  portVar: string;
}

/**
 * Every service under services/ with its exported config schema, so the deployment tests check
 * docker-compose.yml and the Kubernetes manifests against what the services really validate.
 */
export const SERVICE_CONFIGS: Record<string, ServiceConfigShape> = {
  'alert-dispatcher': { schema: DispatcherConfig, hostVar: 'OPS_HOST', portVar: 'OPS_PORT' },
  console: { schema: ConsoleConfig, hostVar: 'HOST', portVar: 'PORT' },
  'gateway-ingest': { schema: GatewayIngestConfig, hostVar: 'HTTP_HOST', portVar: 'HTTP_PORT' },
  'kafka-ingest': { schema: KafkaIngestConfig, hostVar: 'OPS_HOST', portVar: 'OPS_PORT' },
  'operator-api': { schema: OperatorApiConfig, hostVar: 'HOST', portVar: 'PORT' },
  'rules-worker': { schema: RulesWorkerConfig, hostVar: 'OPS_HOST', portVar: 'OPS_PORT' },
  'store-writer': { schema: StoreWriterConfig, hostVar: 'OPS_HOST', portVar: 'OPS_PORT' },
};

/** Loopback addresses that must not survive into a container's effective config. */
export const LOOPBACK = /127\.0\.0\.1|localhost|\[?::1\]?/;

/**
 * Parses `env` with the service's schema and returns the effective config (defaults applied) or
 * the zod issues as "VAR: message" lines.
 */
export function effectiveConfig(
  service: string,
  env: Record<string, string>,
): { ok: true; config: Record<string, unknown> } | { ok: false; issues: string[] } {
  const shape = SERVICE_CONFIGS[service];
  if (!shape) return { ok: false, issues: [`no config schema known for ${service}`] };
  const r = shape.schema.safeParse(env);
  if (!r.success)
    return { ok: false, issues: r.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`) };
  return { ok: true, config: r.data as Record<string, unknown> };
}
