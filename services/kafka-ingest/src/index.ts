export { buildKafkaIngest, type KafkaIngest, type KafkaIngestDeps } from './app';
export { KafkaIngestConfig } from './config';
export { ENTERPRISE_HEADER, FORMAT_HEADER, nativeAdapter } from './native-adapter';
export type { DecodedTelemetry, InboundRecord, TelemetryAdapter } from './telemetry-adapter';
