import { loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryReader } from '@yujing/registry';
import { createMetricsRegistry, installGracefulShutdown, startOpsServer } from '@yujing/service-runtime';
import { buildDispatcher } from './app';
import { DispatcherConfig } from './config';

/** Wiring and signals of the alert dispatcher. */
const SERVICE = 'alert-dispatcher';
const config = loadConfigOrExit(SERVICE, DispatcherConfig);
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const kafka = createKafka({ clientId: config.KAFKA_CLIENT_ID, brokers: config.KAFKA_BROKERS, logger });
const metricsRegistry = createMetricsRegistry(SERVICE);
const registryReader = new RegistryReader({ kafka, prefix: config.TOPIC_PREFIX, logger });
const dispatcher = buildDispatcher({
  config,
  logger,
  kafka,
  registry: registryReader.store,
  metricsRegistry,
});

const shutdown = installGracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  steps: [
    // stop intake → drain active jobs → close clients (all inside dispatcher.stop), then the rest
    { name: 'dispatcher', run: () => dispatcher.stop() },
    { name: 'registry reader', run: () => registryReader.stop() },
    { name: 'ops server', run: () => ops.close() },
  ],
});

const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry: metricsRegistry,
  readiness: { registry: () => registryReader.ready, dispatcher: () => dispatcher.ready() },
  isShuttingDown: shutdown.isShuttingDown,
});

try {
  await ensureTopics(kafka, { prefix: config.TOPIC_PREFIX });
  await registryReader.start();
  await dispatcher.start();
  logger.info({ opsPort: config.OPS_PORT }, 'ready');
} catch (err) {
  logger.fatal({ err }, 'start failed');
  await shutdown.shutdown('start failed');
  process.exit(1);
}
