import { kafkaSecurityOf, loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics, topicsToEnsure } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryReader } from '@yujing/registry';
import {
  createMetricsRegistry,
  installGracefulShutdown,
  runShutdown,
  type ShutdownStep,
  startOpsServer,
} from '@yujing/service-runtime';
import { buildDispatcher } from './app';
import { DispatcherConfig } from './config';

/** Wiring and signals of the alert dispatcher. */
const SERVICE = 'alert-dispatcher';
const config = loadConfigOrExit(SERVICE, DispatcherConfig);
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const kafka = createKafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS,
  security: kafkaSecurityOf(config),
  logger,
});
const metricsRegistry = createMetricsRegistry(SERVICE);
const registryReader = new RegistryReader({ kafka, prefix: config.TOPIC_PREFIX, logger });
const dispatcher = buildDispatcher({
  config,
  logger,
  kafka,
  registry: registryReader.store,
  metricsRegistry,
});

const steps: ShutdownStep[] = [
  // stop intake → drain active jobs → close clients (all inside dispatcher.stop), then the rest
  { name: 'dispatcher', run: () => dispatcher.stop() },
  { name: 'registry reader', run: () => registryReader.stop() },
  { name: 'ops server', run: () => ops.close() },
];
const shutdown = installGracefulShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, steps });

const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry: metricsRegistry,
  readiness: { registry: () => registryReader.ready, dispatcher: () => dispatcher.ready() },
  isShuttingDown: shutdown.isShuttingDown,
});

/** Topics and the registry view, retried: right after topic creation (or a broker restart) Kafka may answer NOT_LEADER for a moment. */
async function prepare(): Promise<void> {
  const START_ATTEMPTS = 10;
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopics(kafka, {
        prefix: config.TOPIC_PREFIX,
        topics: topicsToEnsure('alert-dispatcher', config.KAFKA_SECURITY_PROTOCOL),
      });
      await registryReader.start();
      return;
    } catch (err) {
      if (attempt >= START_ATTEMPTS || shutdown.isShuttingDown()) throw err;
      logger.warn({ err, attempt }, 'start step failed; retrying');
      await registryReader.stop();
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }
}

try {
  await prepare();
  await dispatcher.start();
  logger.info({ opsPort: config.OPS_PORT }, 'ready');
} catch (err) {
  if (!shutdown.isShuttingDown()) {
    logger.fatal({ err }, 'start failed');
    await runShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, steps });
    process.exit(1);
  }
}
