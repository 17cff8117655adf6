import { collectDefaultMetrics, Registry } from 'prom-client';

/** A Prometheus registry per service, with process metrics and a `service` label on everything. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'yujing_' });
  return registry;
}
