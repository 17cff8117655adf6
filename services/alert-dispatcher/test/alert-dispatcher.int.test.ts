import { loadConfig } from '@yujing/config';
import { TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryStore } from '@yujing/registry';
import type { AlarmTransitionEvent, DeadLetterRecord, DeliveryRecord, WebhookPayload } from '@yujing/schemas';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDispatcher, type Dispatcher } from '../src/app';
import { DispatcherConfig } from '../src/config';
import { escalationJobId } from '../src/escalation-plan';
import { SubscriberRateLimit } from '../src/subscriber-rate-limit';
import {
  CITY_DELAY_MS,
  E1,
  E2,
  E3,
  nextEvent,
  PROVINCE_DELAY_MS,
  raiseEvent,
  SECRET,
  testRegistry,
} from './dispatch-fixtures';
import { closedPort, type Received, WebhookReceiver } from './webhook-receiver';

const ATTEMPTS = 5;
let topics: TestTopics;
let receiver: WebhookReceiver;
let dispatcher: Dispatcher;
let producer: TypedProducer;
let deliveries: TopicCollector;
let deadLetters: TopicCollector;
let queuePrefix: string;
let groupId: string;

const payload = (r: Received) => JSON.parse(r.body) as WebhookPayload;
const delivered = (alarmId: string) => deliveries.json<DeliveryRecord>().filter((d) => d.alarmId === alarmId);
const send = (ev: AlarmTransitionEvent) => producer.send('alarms', [{ key: ev.enterpriseId, value: ev }]);

/** Every request carries a valid signature over its exact body, and the delivery id of its payload. */
function expectSigned(r: Received) {
  const verdict = verifyWebhook({ secret: SECRET, body: r.body, headers: r.headers });
  expect(verdict).toMatchObject({ ok: true, deliveryId: payload(r).deliveryId, event: payload(r).event });
}

/** Waits until the dispatcher's group committed every alarm record and no job is waiting or running. */
async function waitIdle(): Promise<void> {
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
            Math.max(0, Number(done.find((p) => p.partition === h.partition)?.offset ?? 0)) >= Number(h.high),
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
}

beforeAll(async () => {
  topics = await createTestTopics({ partitions: 2, label: 'dispatch' });
  receiver = await new WebhookReceiver().start();
  const store = new RegistryStore();
  store.loadDocument(testRegistry(receiver.url, `http://127.0.0.1:${await closedPort()}/hook/down-e2`));
  queuePrefix = `${uniqueId('dq')}-`;
  groupId = uniqueId('dispatcher');
  const env = serviceEnv();
  const config = loadConfig(DispatcherConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    KAFKA_GROUP_ID: groupId,
    KAFKA_SESSION_TIMEOUT_MS: '6s',
    TOPIC_PREFIX: topics.prefix,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    WEBHOOK_ATTEMPTS: String(ATTEMPTS),
    WEBHOOK_BACKOFF_MS: '100ms',
    WEBHOOK_TIMEOUT_MS: '3s',
    ALLOW_PRIVATE_WEBHOOK_TARGETS: '127.0.0.0/8',
  });
  dispatcher = buildDispatcher({
    config,
    logger: createLogger({ service: 'alert-dispatcher-test', level: 'warn' }),
    kafka: topics.kafka,
    registry: store,
    metricsRegistry: new Registry(),
  });
  deliveries = await new TopicCollector(topics.kafka, topicName('deliveries', topics.prefix)).start();
  deadLetters = await new TopicCollector(topics.kafka, topicName('deadLetter', topics.prefix)).start();
  producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await dispatcher.start();
});

afterAll(async () => {
  await dispatcher?.stop();
  await Promise.allSettled([
    producer?.disconnect(),
    deliveries?.stop(),
    deadLetters?.stop(),
    receiver?.stop(),
  ]);
  await Promise.allSettled([
    obliterateQueue(`${queuePrefix}yj-escalation`),
    obliterateQueue(`${queuePrefix}yj-webhook-deliveries`),
  ]);
  const redis = new Redis(serviceEnv().redisUrl);
  const keys = await redis.keys(`yj-dispatch:${queuePrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await topics?.cleanup();
});

describe('escalation along the region chain', () => {
  it('notifies enterprise and county at once, the city and province after their delays, nobody outside the region', async () => {
    const raise = raiseEvent(E1, 1);
    await send(raise);
    const got = await waitFor(
      () => {
        const subs = ['ent-e1', 'county-140105', 'city-140100', 'province-140000'].map((s) =>
          receiver.for(s, raise.alarmId),
        );
        return subs.every((r) => r.length > 0) && subs.map((r) => r[0] as Received);
      },
      { timeoutMs: PROVINCE_DELAY_MS + 15_000, message: 'all four steps delivered' },
    );
    const [ent, county, city, province] = got as [Received, Received, Received, Received];
    for (const r of got) expectSigned(r);
    expect([ent, county].map((r) => payload(r).event)).toEqual(['alarm.raised', 'alarm.raised']);
    expect([city, province].map((r) => payload(r).event)).toEqual(['alarm.escalated', 'alarm.escalated']);
    expect(payload(city).step).toEqual({ index: 2, target: 'city' });
    // Not before their configured delays from the raise.
    expect(city.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + CITY_DELAY_MS);
    expect(province.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + PROVINCE_DELAY_MS);
    expect(ent.receivedAt).toBeLessThan(raise.emittedAt + CITY_DELAY_MS);
    for (const other of ['county-140106', 'city-140200', 'province-130000'])
      expect(receiver.for(other)).toEqual([]);
    const state = await dispatcher.state.get(raise.alarmId);
    expect(state?.notified).toEqual(['city-140100', 'county-140105', 'ent-e1', 'province-140000']);
  });

  it('stops escalating once the ack is processed: city and province are never notified', async () => {
    const raise = raiseEvent(E1, 1);
    await send(raise);
    await waitFor(
      () =>
        receiver.for('ent-e1', raise.alarmId).length > 0 &&
        receiver.for('county-140105', raise.alarmId).length > 0,
      {
        message: 'immediate steps delivered',
      },
    );
    const ack = nextEvent(raise, {
      transition: 'ack',
      state: 'active-ack',
      actor: { id: 'op-1', role: 'operator' },
    });
    await send(ack);
    // The acknowledgement notice reaches those already notified: proof the ack was processed.
    const ackNotices = await waitFor(() => {
      const n = [
        ...receiver.for('ent-e1', raise.alarmId),
        ...receiver.for('county-140105', raise.alarmId),
      ].filter((r) => payload(r).event === 'alarm.acknowledged');
      return n.length === 2 && n;
    });
    for (const r of ackNotices) expectSigned(r);
    const state = await dispatcher.state.get(raise.alarmId);
    expect(state).toMatchObject({ acked: true, notified: ['county-140105', 'ent-e1'] });
    // The pending steps are gone from Redis (removed) or, had one been running, ended skipped.
    for (const stepIndex of [2, 3]) {
      const job = await dispatcher.queues.escalation.getJob(
        escalationJobId({ alarmId: raise.alarmId, planVersion: raise.seq, kind: 'step', stepIndex }),
      );
      if (job) expect(job.returnvalue).toEqual({ outcome: 'skipped', reason: 'acknowledged' });
    }
    // Wait until the province step would have been due, plus margin, then look at what arrived.
    await waitFor(() => Date.now() > raise.emittedAt + PROVINCE_DELAY_MS + 1500, {
      timeoutMs: PROVINCE_DELAY_MS + 5000,
    });
    expect(receiver.for('city-140100', raise.alarmId)).toEqual([]);
    expect(receiver.for('province-140000', raise.alarmId)).toEqual([]);
  });

  it('sends reminders with back-off while unacknowledged, at most maxCount', async () => {
    const raise = raiseEvent(E1, 2);
    await send(raise);
    const reminders = await waitFor(
      () => {
        const r = receiver.for('ent-e1', raise.alarmId).filter((x) => payload(x).event === 'alarm.reminder');
        return r.length === 2 && r;
      },
      { timeoutMs: 15_000 },
    );
    const [first, second] = reminders as [Received, Received];
    expect(first.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + 1000);
    expect(second.receivedAt).toBeGreaterThanOrEqual(raise.emittedAt + 1000 + 1500);
    expect(payload(first).deliveryId).not.toBe(payload(second).deliveryId);
    // maxCount = 2: no third reminder is even scheduled.
    const third = await dispatcher.queues.escalation.getJob(
      escalationJobId({ alarmId: raise.alarmId, planVersion: 1, kind: 'reminder', stepIndex: 2 }),
    );
    expect(third).toBeUndefined();
  });

  it('a clear sends alarm.resolved to everyone notified, once', async () => {
    const raise = raiseEvent(E1, 1);
    await send(raise);
    await waitFor(() => receiver.for('county-140105', raise.alarmId).length > 0);
    const clear = nextEvent(raise, { transition: 'clear', state: 'normal' });
    await send(clear);
    await send(clear); // consumed twice: still one notice each
    const resolved = () =>
      receiver.received.filter(
        (r) => payload(r).alarm.alarmId === raise.alarmId && payload(r).event === 'alarm.resolved',
      );
    await waitFor(() => resolved().length >= 2);
    await waitIdle();
    expect(
      resolved()
        .map((r) => r.subscriptionId)
        .sort(),
    ).toEqual(['county-140105', 'ent-e1']);
    for (const r of resolved()) expectSigned(r);
  });
});

describe('delivery: retries, dead letters, SSRF guard, duplicates', () => {
  it('a receiver failing 3 times gets the 4th attempt with the same delivery id; a dead one ends dead-lettered', async () => {
    receiver.behave('flaky-e2', (attempt) => (attempt <= 3 ? 500 : 200));
    const raise = raiseEvent(E2, 2);
    await send(raise);
    const flaky = await waitFor(
      () => {
        const r = receiver.for('flaky-e2', raise.alarmId);
        return r.length === 4 && r;
      },
      { message: 'four attempts at the flaky receiver' },
    );
    expect(flaky.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(flaky.map((r) => r.headers['x-yujing-delivery'])).size).toBe(1);
    expectSigned(flaky[3] as Received);

    const records = await waitFor(
      () => {
        const recs = delivered(raise.alarmId);
        const dead = recs.filter((d) => d.subscriptionId === 'down-e2');
        return (
          recs.filter((d) => d.subscriptionId === 'flaky-e2').length === 4 && dead.length === ATTEMPTS && recs
        );
      },
      { message: 'every attempt recorded on yj.deliveries.v1' },
    );
    const flakyRecs = records
      .filter((d) => d.subscriptionId === 'flaky-e2')
      .sort((a, b) => a.attempt - b.attempt);
    expect(flakyRecs.map((d) => [d.attempt, d.status, d.httpStatus])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'failed', 500],
      [4, 'delivered', 200],
    ]);
    const deadRecs = records
      .filter((d) => d.subscriptionId === 'down-e2')
      .sort((a, b) => a.attempt - b.attempt);
    expect(deadRecs.map((d) => d.status)).toEqual(['failed', 'failed', 'failed', 'failed', 'dead-lettered']);
    expect(new Set(deadRecs.map((d) => d.deliveryId)).size).toBe(1);
    expect(deadRecs[0]?.target).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Dead-lettered = kept in the deliveries queue's failed set, replayable by the operator API.
    const deadJob = await dispatcher.queues.deliveries.getJob(deadRecs[0]?.deliveryId ?? '');
    expect(await deadJob?.getState()).toBe('failed');
    expect(deadJob?.attemptsMade).toBe(ATTEMPTS);
    const failedIds = (await dispatcher.queues.deliveries.getFailed()).map((j) => j.id);
    expect(failedIds).toContain(deadRecs[0]?.deliveryId);
  });

  it('refuses a private-address subscriber (SSRF guard) without sending, and the same event consumed twice notifies once', async () => {
    const raise = raiseEvent(E3, 3);
    await send(raise);
    await send(raise);
    await waitFor(() => receiver.for('ent-e3', raise.alarmId).length > 0);
    const rejected = await waitFor(() =>
      delivered(raise.alarmId).find((d) => d.subscriptionId === 'private-e3'),
    );
    expect(rejected).toMatchObject({ status: 'rejected', attempt: 1, httpStatus: null });
    expect(rejected.error).toContain('YJ_ERR_DISPATCH_TARGET_FORBIDDEN');

    await waitIdle();
    expect(receiver.for('ent-e3', raise.alarmId)).toHaveLength(1);
    expect((await dispatcher.state.get(raise.alarmId))?.lastSeq).toBe(raise.seq);
  });

  it('records but does not escalate an alarm replayed from long ago (new consumer group at the topic start)', async () => {
    const old = raiseEvent(E3, 3, { emittedAt: Date.now() - 2 * 86_400_000 });
    await send(old);
    await waitFor(async () => (await dispatcher.state.get(old.alarmId))?.lastSeq === old.seq, {
      message: 'old raise handled',
    });
    await waitIdle();
    expect(receiver.for('ent-e3', old.alarmId)).toEqual([]);
  });

  it('dead-letters a record that is not an alarm transition, with the reason, and keeps going', async () => {
    await producer.raw.send({
      topic: topicName('alarms', topics.prefix),
      messages: [{ key: E1, value: '{"alarmId": 42' }],
    });
    const dl = await waitFor(() =>
      deadLetters.json<DeadLetterRecord>().find((d) => d.source === 'alert-dispatcher'),
    );
    expect(dl.reason).toBe('invalid-json');
    expect(Buffer.from(dl.raw, 'base64').toString()).toBe('{"alarmId": 42');
    const after = raiseEvent(E3, 3);
    await send(after);
    await waitFor(() => receiver.for('ent-e3', after.alarmId).length > 0, {
      message: 'still dispatching after a bad record',
    });
  });
});

describe('subscriber rate limit', () => {
  it('spaces deliveries to a slow subscriber without spending attempts', async () => {
    const raises = [raiseEvent(E3, 3), raiseEvent(E3, 3), raiseEvent(E3, 3)];
    await producer.send(
      'alarms',
      raises.map((r) => ({ key: E3, value: r })),
    );
    const ids = new Set(raises.map((r) => r.alarmId));
    const got = await waitFor(
      () => {
        const r = receiver.for('slow-e3').filter((x) => ids.has(payload(x).alarm.alarmId));
        return r.length === 3 && r;
      },
      { timeoutMs: 20_000, message: 'three deliveries to the rate-limited subscriber' },
    );
    const times = got.map((r) => r.receivedAt).sort((a, b) => a - b);
    // 1 token per second, burst 1: the third request cannot come before two refills.
    expect((times[2] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1900);
    const recs = await waitFor(() => {
      const d = deliveries
        .json<DeliveryRecord>()
        .filter((x) => x.subscriptionId === 'slow-e3' && ids.has(x.alarmId));
      return d.length === 3 && d;
    });
    expect(recs.map((d) => [d.status, d.attempt])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 1],
    ]);
  });

  it('hands out burst tokens, then says how long to wait', async () => {
    const redis = new Redis(serviceEnv().redisUrl);
    try {
      const limit = new SubscriberRateLimit(redis, `yj-dispatch:${queuePrefix}`);
      const sub = uniqueId('rl');
      expect(await limit.take(sub, 2)).toBe(0);
      expect(await limit.take(sub, 2)).toBe(0);
      const wait = await limit.take(sub, 2);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(500);
      await waitFor(async () => (await limit.take(sub, 2)) === 0, {
        timeoutMs: 3000,
        message: 'bucket refilled',
      });
    } finally {
      redis.disconnect();
    }
  });
});
