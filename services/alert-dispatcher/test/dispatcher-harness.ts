import { loadConfig } from '@yujing/config';
import { TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { queueName } from '@yujing/queues';
import { RegistryStore } from '@yujing/registry';
import type { AlarmTransitionEvent, DeliveryRecord, WebhookPayload } from '@yujing/schemas';
import {
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  uniqueId,
  waitFor,
} from '@yujing/testkit';
import { verifyWebhook } from '@yujing/webhook-signature';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { expect } from 'vitest';
import { buildDispatcher, type Dispatcher } from '../src/app';
import { DispatcherConfig } from '../src/config';
import { SECRET, testRegistry } from './dispatch-fixtures';
import { closedPort, type Received, WebhookReceiver } from './webhook-receiver';

/**
 * An in-process dispatcher on the real Kafka and Redis, with its own topic prefix, queue prefix
 * and consumer group, a local webhook receiver, and collectors on yj.deliveries.v1 and
 * yj.deadletter.v1. `stop()` removes everything it created.
 */
export const ATTEMPTS = 5;

export interface Harness {
  topics: TestTopics;
  receiver: WebhookReceiver;
  dispatcher: Dispatcher;
  producer: TypedProducer;
  deliveries: TopicCollector;
  deadLetters: TopicCollector;
  queuePrefix: string;
  send(ev: AlarmTransitionEvent): Promise<unknown>;
  delivered(alarmId: string): DeliveryRecord[];
  waitIdle(): Promise<void>;
  stop(): Promise<void>;
}

export const payload = (r: Received) => JSON.parse(r.body) as WebhookPayload;

/** Every request carries a valid signature over its exact body, and the delivery id of its payload. */
export function expectSigned(r: Received): void {
  const verdict = verifyWebhook({ secret: SECRET, body: r.body, headers: r.headers });
  expect(verdict).toMatchObject({ ok: true, deliveryId: payload(r).deliveryId, event: payload(r).event });
}

export interface HarnessOptions {
  /** Another Redis than the shared one (fault tests kill their own). */
  redisUrl?: string;
  /** City and province escalation delays of the A-class policy. */
  delays?: { cityMs: number; provinceMs: number };
}

export async function startHarness(label: string, opts: HarnessOptions = {}): Promise<Harness> {
  const topics = await createTestTopics({ partitions: 2, label });
  const receiver = await new WebhookReceiver().start();
  const store = new RegistryStore();
  store.loadDocument(
    testRegistry(receiver.url, `http://127.0.0.1:${await closedPort()}/hook/down-e2`, opts.delays),
  );
  const queuePrefix = `${uniqueId('dq')}-`;
  const groupId = uniqueId('dispatcher');
  const env = serviceEnv();
  const redisUrl = opts.redisUrl ?? env.redisUrl;
  const config = loadConfig(DispatcherConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    KAFKA_GROUP_ID: groupId,
    KAFKA_SESSION_TIMEOUT_MS: '6s',
    TOPIC_PREFIX: topics.prefix,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    WEBHOOK_ATTEMPTS: String(ATTEMPTS),
    WEBHOOK_BACKOFF_MS: '100ms',
    WEBHOOK_TIMEOUT_MS: '3s',
    ALLOW_PRIVATE_WEBHOOK_TARGETS: '127.0.0.0/8',
    NODE_ENV: 'test', // the local receiver speaks plain http
  });
  const dispatcher = buildDispatcher({
    config,
    logger: createLogger({ service: 'alert-dispatcher-test', level: 'warn' }),
    kafka: topics.kafka,
    registry: store,
    metricsRegistry: new Registry(),
  });
  const deliveries = await new TopicCollector(topics.kafka, topicName('deliveries', topics.prefix)).start();
  const deadLetters = await new TopicCollector(topics.kafka, topicName('deadLetter', topics.prefix)).start();
  const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await dispatcher.start();

  /** Waits until the group committed every alarm record and no job is waiting, delayed or running. */
  const waitIdle = async () => {
    const admin = topics.kafka.admin();
    await admin.connect();
    try {
      const topic = topicName('alarms', topics.prefix);
      await waitFor(
        async () => {
          const [high, committed] = await Promise.all([
            admin.fetchTopicOffsets(topic),
            admin.fetchOffsets({ groupId, topics: [topic] }),
          ]);
          const done = committed[0]?.partitions ?? [];
          // A partition never committed reports -1: it is done only if it holds no record.
          return high.every(
            (h) =>
              Math.max(0, Number(done.find((p) => p.partition === h.partition)?.offset ?? 0)) >=
              Number(h.high),
          );
        },
        { message: 'dispatcher committed every alarm record' },
      );
    } finally {
      await admin.disconnect();
    }
    await waitFor(
      async () => {
        const c = await dispatcher.queues.deliveries.getJobCounts('waiting', 'active', 'delayed');
        const e = await dispatcher.queues.escalation.getJobCounts('waiting', 'active');
        return Object.values(c).every((n) => n === 0) && Object.values(e).every((n) => n === 0);
      },
      { message: 'queues idle' },
    );
  };

  return {
    topics,
    receiver,
    dispatcher,
    producer,
    deliveries,
    deadLetters,
    queuePrefix,
    send: (ev) => producer.send('alarms', [{ key: ev.enterpriseId, value: ev }]),
    delivered: (alarmId) => deliveries.json<DeliveryRecord>().filter((d) => d.alarmId === alarmId),
    waitIdle,
    async stop() {
      await dispatcher.stop();
      await Promise.allSettled([
        producer.disconnect(),
        deliveries.stop(),
        deadLetters.stop(),
        receiver.stop(),
      ]);
      await Promise.allSettled([
        obliterateQueue(queueName('escalation', queuePrefix), redisUrl),
        obliterateQueue(queueName('deliveries', queuePrefix), redisUrl),
      ]);
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`yj-dispatch:${queuePrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await topics.cleanup();
    },
  };
}
