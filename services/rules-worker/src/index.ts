export { build, type RulesWorker, type RulesWorkerDeps } from './app';
export { RulesWorkerConfig } from './config';
export type { StateRecord } from './state-changelog';
