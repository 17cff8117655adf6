export { loadConfig, loadConfigOrExit, formatConfigIssues, type EnvSource } from './load-config';
export {
  Secret,
  boolVar,
  durationMs,
  intVar,
  listVar,
  logLevelVar,
  parseDurationMs,
  portVar,
  secretVar,
  urlVar,
} from './env-types';
export { describeConfig, type ConfigVariableDoc } from './config-docs';
