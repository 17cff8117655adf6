import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { applySchema, QuestDbQuery, tableNames } from '@yujing/questdb';
import { publishRegistry, RegistryReader } from '@yujing/registry';
import type { AlarmTransitionEvent } from '@yujing/schemas';
import { createMetricsRegistry } from '@yujing/service-runtime';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  serviceEnv,
  uniqueGroupId,
  uniqueId,
} from '@yujing/testkit';
import { Redis } from 'ioredis';
import { build } from '../src/app';
import { createTokenVerifier } from '../src/auth/token-verifier';
import { AlarmEventHub } from '../src/feed/alarm-event-hub';
import { startKafkaAlarmSource } from '../src/feed/kafka-alarm-source';
import { kafkaCommandBus } from '../src/feed/kafka-command-bus';
import { BullmqDeliveryQueue } from '../src/storage/bullmq-delivery-queue';
import { kafkaRegistryWriter } from '../src/storage/kafka-registry-writer';
import { QuestDbHistoryStore } from '../src/storage/questdb-history-store';
import { fixtureDocument, VERIFIER_OPTIONS } from './route-harness';

const DDL_DIR = fileURLToPath(new URL('../../../deploy/questdb', import.meta.url));

/**
 * The API wired as main.ts wires it, to the real Kafka (own topic prefix, own group), QuestDB
 * (own table prefix) and Redis (own queue name), listening on an ephemeral port. One per test
 * file; `stop()` closes everything and removes the topics and tables.
 */
export async function startRealStackApi(label: string) {
  const logger = createLogger({ service: `operator-api-${label}`, level: 'warn' });
  const topics = await createTestTopics({ partitions: 2, label });
  const qdbPrefix = createQuestDbTablePrefix(label);
  const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await publishRegistry(producer, fixtureDocument(), { changedBy: 'int-test' });
  const reader = new RegistryReader({ kafka: topics.kafka, prefix: topics.prefix, logger });
  await reader.start();
  const questdb = new QuestDbQuery({ connectionString: serviceEnv().questdbPg });
  await applySchema(questdb, DDL_DIR, { tablePrefix: qdbPrefix.prefix });
  const hub = new AlarmEventHub({ ringSize: 1000, bootId: uniqueId('boot') });
  const source = await startKafkaAlarmSource({
    kafka: topics.kafka,
    prefix: topics.prefix,
    groupId: uniqueGroupId(label),
    hub,
    logger,
    fromBeginning: true,
  });
  await source.joined;
  const redis = new Redis(serviceEnv().redisUrl, { maxRetriesPerRequest: null });
  const deliveries = new BullmqDeliveryQueue(redis, uniqueId('q'));
  const api = await build({
    logger,
    verifier: createTokenVerifier(VERIFIER_OPTIONS),
    registry: reader.store,
    hub,
    bus: kafkaCommandBus(producer),
    history: new QuestDbHistoryStore(questdb, tableNames(qdbPrefix.prefix)),
    deliveries,
    registryWriter: kafkaRegistryWriter(producer),
    metrics: createMetricsRegistry(`operator-api-${label}`),
    readiness: {},
    commandWaitMs: 20_000,
    rateLimitPerMin: 100_000,
  });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (api.app.server.address() as AddressInfo).port;
  let appClosed = false;

  return {
    api,
    hub,
    producer,
    topics,
    qdbPrefix,
    questdb,
    base: `http://127.0.0.1:${port}`,
    wsBase: `ws://127.0.0.1:${port}`,
    sendAlarm: (e: AlarmTransitionEvent) => producer.send('alarms', [{ key: e.enterpriseId, value: e }]),
    /** Closes the HTTP app as main.ts's shutdown does first (streams get their goodbye). */
    async closeApp(): Promise<void> {
      if (appClosed) return;
      appClosed = true;
      await api.app.close();
    },
    async stop(): Promise<void> {
      if (!appClosed) await api.app.close().catch(() => undefined);
      appClosed = true;
      await Promise.allSettled([source.stop(), reader.stop(), deliveries.close()]);
      await producer.raw.disconnect();
      redis.disconnect();
      await questdb.close();
      await Promise.allSettled([topics.cleanup(), qdbPrefix.cleanup()]);
    },
  };
}

export type RealStackApi = Awaited<ReturnType<typeof startRealStackApi>>;
