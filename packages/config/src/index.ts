export { type ConfigVariableDoc, describeConfig } from './config-docs';
export {
  boolVar,
  durationMs,
  intVar,
  listVar,
  logLevelVar,
  parseDurationMs,
  portVar,
  Secret,
  secretVar,
  urlVar,
} from './env-types';
export {
  KAFKA_SECURITY_ENV,
  type KafkaSecurity,
  type KafkaSecurityEnv,
  kafkaSecurityOf,
} from './kafka-env';
export { type EnvSource, formatConfigIssues, loadConfig, loadConfigOrExit } from './load-config';
