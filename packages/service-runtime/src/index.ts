export { createMetricsRegistry } from './metrics-registry';
export { registerOpsRoutes, type OpsRoutesOptions, type ReadinessCheck } from './ops-routes';
export { startOpsServer, type OpsServerOptions } from './ops-server';
export { installGracefulShutdown, runShutdown, type GracefulShutdownOptions, type ShutdownStep } from './graceful-shutdown';
