import { kafkaSecurityOf, loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryReader } from '@yujing/registry';
import { installGracefulShutdown } from '@yujing/service-runtime';
import { buildGatewayIngest } from './app';
import { GatewayIngestConfig } from './config';

const config = loadConfigOrExit('gateway-ingest', GatewayIngestConfig);
const logger = createLogger({ service: 'gateway-ingest', level: config.LOG_LEVEL });
const kafka = createKafka({
  clientId: 'gateway-ingest',
  brokers: config.KAFKA_BROKERS,
  security: kafkaSecurityOf(config),
  logger,
});

await ensureTopics(kafka, {
  prefix: config.TOPIC_PREFIX,
  topics: ['registry', 'readings', 'gatewayEvents', 'deadLetter'],
});
// The reader itself waits out a fresh registry topic's leader election (NOT_LEADER) at start.
const reader = new RegistryReader({ kafka, prefix: config.TOPIC_PREFIX, logger });
await reader.start();
const service = await buildGatewayIngest({
  config,
  logger,
  kafka,
  registry: reader.store,
  registryReady: () => reader.ready,
});

installGracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT,
  steps: [
    { name: 'stop HTTP intake', run: () => service.http.close() },
    { name: 'stop MQTT intake, drain, close producer', run: () => service.stop() },
    { name: 'stop registry reader', run: () => reader.stop() },
  ],
});

await service.start();
await service.http.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
logger.info({ host: config.HTTP_HOST, port: config.HTTP_PORT }, 'HTTP ingest and ops routes listening');
