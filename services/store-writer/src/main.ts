import { fileURLToPath } from 'node:url';
import { kafkaSecurityOf, loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics, topicsToEnsure } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { applySchema, createIlpSender, QuestDbQuery } from '@yujing/questdb';
import { createMetricsRegistry, installGracefulShutdown, startOpsServer } from '@yujing/service-runtime';
import { buildStoreWriter } from './app';
import { StoreWriterConfig } from './config';
import { createIlpRequestMetrics } from './store-writer-metrics';

const config = loadConfigOrExit('store-writer', StoreWriterConfig);
const logger = createLogger({ service: 'store-writer', level: config.LOG_LEVEL });
const registry = createMetricsRegistry('store-writer');
const ddlDir = config.QDB_DDL_DIR ?? fileURLToPath(new URL('../../../deploy/questdb', import.meta.url));

const kafka = createKafka({
  clientId: config.KAFKA_CLIENT_ID,
  brokers: config.KAFKA_BROKERS,
  security: kafkaSecurityOf(config),
  logger,
});
const query = new QuestDbQuery({ connectionString: config.QUESTDB_PG, max: 2 });
await ensureTopics(kafka, {
  prefix: config.TOPIC_PREFIX,
  topics: topicsToEnsure('store-writer', config.KAFKA_SECURITY_PROTOCOL),
});
const tables = await applySchema(query, ddlDir, {
  tablePrefix: config.QDB_TABLE_PREFIX,
  ttl: {
    readings: config.QDB_TTL_READINGS,
    alarm_events: config.QDB_TTL_ALARM_EVENTS,
    deliveries: config.QDB_TTL_DELIVERIES,
    gateway_status: config.QDB_TTL_GATEWAY_STATUS,
  },
});
const writer = await createIlpSender(
  {
    httpUrl: config.QUESTDB_HTTP,
    retryTimeoutMs: config.QUESTDB_RETRY_TIMEOUT,
    requestTimeoutMs: config.QUESTDB_REQUEST_TIMEOUT,
  },
  { maxCoalescedRows: config.WRITE_MAX_ROWS, onRequest: createIlpRequestMetrics(registry).onRequest },
);
const app = buildStoreWriter({ config, kafka, writer, tables, logger, registry });

const { isShuttingDown } = installGracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT,
  steps: [
    { name: 'stop consuming and drain the in-flight batch', run: () => app.stop() },
    { name: 'close QuestDB writer', run: () => writer.close() },
    { name: 'close QuestDB query pool', run: () => query.close() },
    { name: 'close ops server', run: () => ops.close() },
  ],
});
const ops = await startOpsServer({
  host: config.OPS_HOST,
  port: config.OPS_PORT,
  registry,
  isShuttingDown,
  readiness: { kafka: () => app.ready(), questdb: () => query.ping() },
});
await app.start();
logger.info({ opsPort: config.OPS_PORT, tablePrefix: config.QDB_TABLE_PREFIX }, 'store-writer started');
