export { buildGatewayIngest, type GatewayIngest, type GatewayIngestDeps } from './app';
export { GatewayIngestConfig } from './config';
export { ingestErrors } from './ingest-errors';
