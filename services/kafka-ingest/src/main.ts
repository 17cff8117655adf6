import { kafkaSecurityOf, loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics, platformInboundTopic } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryReader } from '@yujing/registry';
import { installGracefulShutdown, startOpsServer } from '@yujing/service-runtime';
import { buildKafkaIngest } from './app';
import { KafkaIngestConfig } from './config';

const config = loadConfigOrExit('kafka-ingest', KafkaIngestConfig);
const logger = createLogger({ service: 'kafka-ingest', level: config.LOG_LEVEL });
const kafka = createKafka({
  clientId: 'kafka-ingest',
  brokers: config.KAFKA_BROKERS,
  security: kafkaSecurityOf(config),
  logger,
});

await ensureTopics(kafka, {
  prefix: config.TOPIC_PREFIX,
  topics: ['registry', 'telemetryInbound', 'readings', 'gatewayEvents', 'deadLetter'],
});
// The reader itself waits out a fresh registry topic's leader election (NOT_LEADER) at start.
const reader = new RegistryReader({ kafka, prefix: config.TOPIC_PREFIX, logger });
await reader.start();
const platforms = await existingPlatformTopics();
reader.store.onChange((c) => {
  if (c.kind === 'platform' && !platforms.includes(c.id) && !c.deleted)
    logger.warn(
      { platformId: c.id },
      'new platform in the registry: restart kafka-ingest to consume its topic',
    );
});
const service = buildKafkaIngest({ config, logger, kafka, registry: reader.store, platforms });
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

/**
 * The registry's platforms whose inbound topic exists (created with their ACLs by the Kafka
 * provisioning step, deploy/local/kafka-acls.ts; services get no CREATE grant on them).
 */
async function existingPlatformTopics(): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = new Set(await admin.listTopics());
    const ids = reader.store.platforms().map((p) => p.id);
    const missing = ids.filter((id) => !topics.has(platformInboundTopic(id, config.TOPIC_PREFIX)));
    if (missing.length > 0)
      logger.warn({ platforms: missing }, 'platform inbound topics missing; not consumed');
    return ids.filter((id) => !missing.includes(id));
  } finally {
    await admin.disconnect();
  }
}
