export {
  ALARM_PATH_BUCKETS,
  ALARM_PATH_HOPS,
  type AlarmPathHop,
  type AlarmPathMetrics,
  createAlarmPathMetrics,
} from './alarm-path-metrics';
export {
  type GracefulShutdownOptions,
  installGracefulShutdown,
  runShutdown,
  type ShutdownStep,
} from './graceful-shutdown';
export { createMetricsRegistry } from './metrics-registry';
export { type OpsRoutesOptions, type ReadinessCheck, registerOpsRoutes } from './ops-routes';
export { type OpsServerOptions, startOpsServer } from './ops-server';
