import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { kafkaSecurityOf, loadConfigOrExit } from '@yujing/config';
import { createKafka, ensureTopics, TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { QuestDbQuery, tableNames } from '@yujing/questdb';
import { RegistryReader } from '@yujing/registry';
import { createMetricsRegistry, installGracefulShutdown } from '@yujing/service-runtime';
import { Counter, Gauge } from 'prom-client';
import { build } from './app';
import { readPublicKeysFile } from './auth/public-keys-file';
import { RedisRevocations } from './auth/token-revocation';
import { createTokenVerifier } from './auth/token-verifier';
import { OperatorApiConfig } from './config';
import { AlarmEventHub } from './feed/alarm-event-hub';
import { startKafkaAlarmSource } from './feed/kafka-alarm-source';
import { kafkaCommandBus } from './feed/kafka-command-bus';
import { createApiRedis } from './storage/api-redis';
import { BullmqDeliveryQueue } from './storage/bullmq-delivery-queue';
import { kafkaRegistryWriter } from './storage/kafka-registry-writer';
import { KafkaSupervisionStore } from './storage/kafka-supervision-store';
import { QuestDbHistoryStore } from './storage/questdb-history-store';
import { RedisAckLinkNonces } from './storage/redis-ack-link-nonces';

const SERVICE = 'operator-api';
const config = loadConfigOrExit(SERVICE, OperatorApiConfig);
const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
const instanceId = config.INSTANCE_ID ?? hostname();

const kafka = createKafka({
  clientId: `${SERVICE}-${instanceId}`,
  brokers: config.KAFKA_BROKERS,
  security: kafkaSecurityOf(config),
  logger,
});
await ensureTopics(kafka, {
  prefix: config.TOPIC_PREFIX,
  topics: ['alarms', 'alarmCommands', 'alarmCommandResults', 'registry', 'supervision'],
});

const registryReader = new RegistryReader({ kafka, prefix: config.TOPIC_PREFIX, logger });
await registryReader.start();
const producer = new TypedProducer(kafka, { prefix: config.TOPIC_PREFIX });
await producer.connect();

const supervision = new KafkaSupervisionStore({ kafka, producer, prefix: config.TOPIC_PREFIX, logger });
await supervision.start();

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
const redis = createApiRedis(config.REDIS_URL);
const deliveries = new BullmqDeliveryQueue(redis.queue, config.QUEUE_PREFIX);
const revocations = new RedisRevocations(redis.fast, config.QUEUE_PREFIX, logger);
await revocations.start(config.JWT_REVOCATION_REFRESH_MS);
const devMode = config.NODE_ENV !== 'production';
function readPublicKeysOrExit(path: string) {
  try {
    return readPublicKeysFile(path);
  } catch (err) {
    logger.fatal({ variable: 'JWT_PUBLIC_KEYS_FILE' }, (err as Error).message);
    process.exit(78);
  }
}
const verifier = createTokenVerifier({
  secret: config.JWT_SECRET?.reveal(),
  publicKeys: config.JWT_PUBLIC_KEYS_FILE ? readPublicKeysOrExit(config.JWT_PUBLIC_KEYS_FILE) : undefined,
  jwksUrl: config.JWT_JWKS_URL,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
  requireAudience: !devMode,
  maxLifetimeS: Math.floor(config.JWT_MAX_TTL_MS / 1000),
  revocation: revocations,
});

let shuttingDown = false;
const { app, streams } = await build({
  logger,
  verifier,
  revocations,
  maxTokenLifetimeS: Math.floor(config.JWT_MAX_TTL_MS / 1000),
  webhooksRequireHttps: !devMode,
  trustProxy: config.TRUST_PROXY,
  authFailuresPerMin: config.AUTH_FAILURES_PER_MIN,
  streamLimits: {
    perToken: config.STREAM_MAX_PER_TOKEN,
    total: config.STREAM_MAX_TOTAL,
    maxBufferedBytes: config.STREAM_MAX_BUFFERED_BYTES,
  },
  registry: registryReader.store,
  hub,
  bus: kafkaCommandBus(producer),
  history,
  deliveries,
  registryWriter: kafkaRegistryWriter(producer),
  supervision,
  tipOffLimits: { perIpPerHour: config.TIP_OFF_PER_IP_PER_HOUR, totalPerHour: config.TIP_OFF_TOTAL_PER_HOUR },
  metrics,
  readiness: {
    registry: () => registryReader.ready,
    supervision: () => supervision.ready,
    kafka: () => producer.connected && sourceJoined,
    questdb: () => history.ping(),
    // Not Redis: it backs dead-lettered deliveries, shared rate limits and the deny-list copy only, and its
    // outage must not take every instance out of the load balancer (yujing_api_redis_up shows it).
  },
  isShuttingDown: () => shuttingDown,
  commandWaitMs: config.COMMAND_WAIT_MS,
  heartbeatMs: config.STREAM_HEARTBEAT_MS,
  rateLimitPerMin: config.RATE_LIMIT_PER_MIN,
  rateLimitRedis: redis.fast,
  ...(config.ACK_LINK_SECRET
    ? { ackLinks: { secret: config.ACK_LINK_SECRET.reveal(), nonces: new RedisAckLinkNonces(redis.queue) } }
    : {}),
});
new Gauge({
  name: 'yujing_api_redis_up',
  help: '1 when Redis answers (deliveries queue, shared rate limits, token deny-list), else 0',
  registers: [metrics],
  async collect() {
    this.set(
      await redis.fast.ping().then(
        () => 1,
        () => 0,
      ),
    );
  },
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
    { name: 'stop supervision reader', run: () => supervision.stop() },
    { name: 'disconnect producer', run: () => producer.raw.disconnect() },
    { name: 'close questdb pool', run: () => questdb.close() },
    { name: 'close deliveries queue', run: () => deliveries.close() },
    { name: 'stop token deny-list refresh', run: () => revocations.stop() },
    {
      name: 'close redis',
      run: () => redis.close(),
    },
  ],
});
