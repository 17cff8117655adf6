import { kafkaSecurityOf, loadConfigOrExit } from '@yujing/config';
import { createKafka } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { installGracefulShutdown, startOpsServer } from '@yujing/service-runtime';
import { build } from './app';
import { RulesWorkerConfig } from './config';

const config = loadConfigOrExit('rules-worker', RulesWorkerConfig);
const logger = createLogger({ service: 'rules-worker', level: config.LOG_LEVEL });
const kafka = createKafka({
  clientId: config.CLIENT_ID,
  brokers: config.KAFKA_BROKERS,
  security: kafkaSecurityOf(config),
  logger,
});
const worker = build({ config, logger, kafka });

let shuttingDown = false;
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry: worker.metricsRegistry,
  readiness: worker.readiness,
  isShuttingDown: () => shuttingDown,
});
installGracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  steps: [
    { name: 'mark not ready', run: () => (shuttingDown = true) },
    { name: 'stop worker (intake, drain, clients)', run: () => worker.stop() },
    { name: 'close ops server', run: () => ops.close() },
  ],
});
try {
  await worker.start();
} catch (err) {
  logger.fatal({ err }, 'rules-worker failed to start');
  await worker.stop();
  await ops.close();
  process.exit(1);
}
