export * from './primitives';
export * from './telemetry';
export * from './point-kind-catalogue';
export * from './rule-spec';
export * from './registry-entities';
export * from './alarm-events';
export * from './delivery';
export { issuesToRecords } from './issue-paths';
export * from './effective-point';
