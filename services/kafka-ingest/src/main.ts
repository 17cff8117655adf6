import { loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryReader } from '@yujing/registry';
import { installGracefulShutdown, startOpsServer } from '@yujing/service-runtime';
import { buildKafkaIngest } from './app';
import { KafkaIngestConfig } from './config';

const config = loadConfigOrExit('kafka-ingest', KafkaIngestConfig);
const logger = createLogger({ service: 'kafka-ingest', level: config.LOG_LEVEL });
const kafka = createKafka({ clientId: 'kafka-ingest', brokers: config.KAFKA_BROKERS, logger });

await ensureTopics(kafka, {
  prefix: config.TOPIC_PREFIX,
  topics: ['registry', 'telemetryInbound', 'readings', 'gatewayEvents', 'deadLetter'],
});
// The reader itself waits out a fresh registry topic's leader election (NOT_LEADER) at start.
const reader = new RegistryReader({ kafka, prefix: config.TOPIC_PREFIX, logger });
await reader.start();
const service = buildKafkaIngest({ config, logger, kafka, registry: reader.store });
let stopping = false;
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry: service.metricsRegistry,
  readiness: { registry: () => reader.ready, kafka: () => service.ready() },
  isShuttingDown: () => stopping,
});

installGracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT,
  steps: [
    { name: 'mark not ready', run: () => (stopping = true) },
    { name: 'stop consuming, finish the in-flight batch, close the producer', run: () => service.stop() },
    { name: 'stop registry reader', run: () => reader.stop() },
    { name: 'close ops server', run: () => ops.close() },
  ],
});

await service.start();
