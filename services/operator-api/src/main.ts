import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics, TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { QuestDbQuery, tableNames } from '@yujing/questdb';
import { RegistryReader } from '@yujing/registry';
import { createMetricsRegistry, installGracefulShutdown } from '@yujing/service-runtime';
import { Redis } from 'ioredis';
import { Counter, Gauge } from 'prom-client';
import { build } from './app';
import { createTokenVerifier } from './auth/token-verifier';
import { OperatorApiConfig } from './config';
import { AlarmEventHub } from './feed/alarm-event-hub';
import { startKafkaAlarmSource } from './feed/kafka-alarm-source';
import { kafkaCommandBus } from './feed/kafka-command-bus';
import { BullmqDeliveryQueue } from './storage/bullmq-delivery-queue';
import { kafkaRegistryWriter } from './storage/kafka-registry-writer';
import { QuestDbHistoryStore } from './storage/questdb-history-store';

const SERVICE = 'operator-api';
const config = loadConfigOrExit(SERVICE, OperatorApiConfig);
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const instanceId = config.INSTANCE_ID ?? hostname();

const kafka = createKafka({ clientId: `${SERVICE}-${instanceId}`, brokers: config.KAFKA_BROKERS, logger });
await ensureTopics(kafka, {
  prefix: config.TOPIC_PREFIX,
  topics: ['alarms', 'alarmCommands', 'alarmCommandResults', 'registry'],
});

const registryReader = new RegistryReader({ kafka, prefix: config.TOPIC_PREFIX, logger });
await registryReader.start();
const producer = new TypedProducer(kafka, { prefix: config.TOPIC_PREFIX });
await producer.connect();

const metrics = createMetricsRegistry(SERVICE);
const invalid = new Counter({
  name: 'yujing_api_invalid_records_total',
  help: 'consumed records that break their contract',
  labelNames: ['topic'],
  registers: [metrics],
});
const hub = new AlarmEventHub({ ringSize: config.STREAM_RING_SIZE, bootId: randomBytes(4).toString('hex') });
const source = await startKafkaAlarmSource({
  kafka,
  prefix: config.TOPIC_PREFIX,
  groupId: `${config.CONSUMER_GROUP}-${instanceId}`,
  hub,
  logger,
  invalid,
});
let sourceJoined = false;
void source.joined.then(() => {
  sourceJoined = true;
});

const questdb = new QuestDbQuery({ connectionString: config.QUESTDB_PG });
const history = new QuestDbHistoryStore(questdb, tableNames(config.QDB_TABLE_PREFIX));
const queueRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const rateRedis = new Redis(config.REDIS_URL, { connectTimeout: 1000, maxRetriesPerRequest: 1 });
const deliveries = new BullmqDeliveryQueue(queueRedis, config.QUEUE_PREFIX);

let shuttingDown = false;
const { app, streams } = await build({
  logger,
  verifier: createTokenVerifier({ secret: config.JWT_SECRET.reveal(), issuer: config.JWT_ISSUER }),
  registry: registryReader.store,
  hub,
  bus: kafkaCommandBus(producer),
  history,
  deliveries,
  registryWriter: kafkaRegistryWriter(producer),
  metrics,
  readiness: {
    registry: () => registryReader.ready,
    kafka: () => producer.connected && sourceJoined,
    questdb: () => history.ping(),
    redis: () => deliveries.ping(),
  },
  isShuttingDown: () => shuttingDown,
  commandWaitMs: config.COMMAND_WAIT_MS,
  heartbeatMs: config.STREAM_HEARTBEAT_MS,
  rateLimitPerMin: config.RATE_LIMIT_PER_MIN,
  rateLimitRedis: rateRedis,
});
new Gauge({
  name: 'yujing_api_open_streams',
  help: 'open SSE and WebSocket streams',
  registers: [metrics],
  collect() {
    this.set(streams.size);
  },
});

await app.listen({ host: config.HOST, port: config.PORT });
logger.info(
  { host: config.HOST, port: config.PORT, instanceId, topicPrefix: config.TOPIC_PREFIX },
  'operator-api listening',
);

installGracefulShutdown({
  logger,
  timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  steps: [
    {
      name: 'mark not ready',
      run: () => {
        shuttingDown = true;
      },
    },
    // Stop intake: close streams with a goodbye (preClose), finish in-flight requests, stop listening.
    { name: 'close http server', run: () => app.close() },
    { name: 'stop alarm consumer', run: () => source.stop() },
    { name: 'stop registry reader', run: () => registryReader.stop() },
    { name: 'disconnect producer', run: () => producer.raw.disconnect() },
    { name: 'close questdb pool', run: () => questdb.close() },
    { name: 'close deliveries queue', run: () => deliveries.close() },
    {
      name: 'close redis',
      run: async () => void (await Promise.allSettled([queueRedis.quit(), rateRedis.quit()])),
    },
  ],
});
