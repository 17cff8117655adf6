import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TOPICS, TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import {
  alarmEventRow,
  applySchema,
  createIlpSender,
  gatewayStatusRow,
  QuestDbQuery,
  tableNames,
  walApplied,
} from '@yujing/questdb';
import { publishRegistry, RegistryReader } from '@yujing/registry';
import type { AlarmCommand, AlarmTransitionEvent } from '@yujing/schemas';
import { createMetricsRegistry } from '@yujing/service-runtime';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  serviceEnv,
  TopicCollector,
  uniqueGroupId,
  uniqueId,
  waitFor,
} from '@yujing/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app';
import { createTokenVerifier } from '../src/auth/token-verifier';
import { AlarmEventHub } from '../src/feed/alarm-event-hub';
import { startKafkaAlarmSource } from '../src/feed/kafka-alarm-source';
import { kafkaCommandBus } from '../src/feed/kafka-command-bus';
import { BullmqDeliveryQueue } from '../src/storage/bullmq-delivery-queue';
import { kafkaRegistryWriter } from '../src/storage/kafka-registry-writer';
import { QuestDbHistoryStore } from '../src/storage/questdb-history-store';
import { alarmEvent, E_DT, E_TY, fixtureDocument, SECRET, TAIYUAN, token } from './route-harness';

/** The API wired to the real Kafka, QuestDB and Redis, listening on an ephemeral port. */
const logger = createLogger({ service: 'operator-api-int', level: 'warn' });
const DDL_DIR = fileURLToPath(new URL('../../../deploy/questdb', import.meta.url));
let topics: Awaited<ReturnType<typeof createTestTopics>>;
let qdbPrefix: ReturnType<typeof createQuestDbTablePrefix>;
let api: Awaited<ReturnType<typeof build>>;
let producer: TypedProducer;
let reader: RegistryReader;
let source: Awaited<ReturnType<typeof startKafkaAlarmSource>>;
let questdb: QuestDbQuery;
let redis: Redis;
let deliveries: BullmqDeliveryQueue;
let hub: AlarmEventHub;
let base: string;

beforeAll(async () => {
  topics = await createTestTopics({ partitions: 2, label: 'api' });
  qdbPrefix = createQuestDbTablePrefix('api');
  producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await publishRegistry(producer, fixtureDocument(), { changedBy: 'int-test' });
  reader = new RegistryReader({ kafka: topics.kafka, prefix: topics.prefix, logger });
  await reader.start();
  questdb = new QuestDbQuery({ connectionString: serviceEnv().questdbPg });
  await applySchema(questdb, DDL_DIR, { tablePrefix: qdbPrefix.prefix });
  hub = new AlarmEventHub({ ringSize: 1000, bootId: uniqueId('boot') });
  source = await startKafkaAlarmSource({
    kafka: topics.kafka,
    prefix: topics.prefix,
    groupId: uniqueGroupId('api'),
    hub,
    logger,
    fromBeginning: true,
  });
  await source.joined;
  redis = new Redis(serviceEnv().redisUrl, { maxRetriesPerRequest: null });
  deliveries = new BullmqDeliveryQueue(redis, uniqueId('q'));
  api = await build({
    logger,
    verifier: createTokenVerifier({ secret: SECRET, issuer: 'yujing' }),
    registry: reader.store,
    hub,
    bus: kafkaCommandBus(producer),
    history: new QuestDbHistoryStore(questdb, tableNames(qdbPrefix.prefix)),
    deliveries,
    registryWriter: kafkaRegistryWriter(producer),
    metrics: createMetricsRegistry('operator-api-int'),
    readiness: {},
    commandWaitMs: 20_000,
    rateLimitPerMin: 100_000,
  });
  await api.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await api?.app.close();
  await Promise.allSettled([source?.stop(), reader?.stop(), deliveries?.close()]);
  await producer?.raw.disconnect();
  redis?.disconnect();
  await questdb?.close();
  await Promise.allSettled([topics?.cleanup(), qdbPrefix?.cleanup()]);
});

/** A raw SSE client: collects `alarm` events until closed. */
function openSse(path: string, bearer: string) {
  const events: AlarmTransitionEvent[] = [];
  let buffer = '';
  const req = http.get(
    `${base}${path}`,
    { headers: { authorization: `Bearer ${bearer}`, accept: 'text/event-stream' } },
    (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i = buffer.indexOf('\n\n');
        while (i >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (block.includes('event: alarm')) {
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data) events.push(JSON.parse(data.slice(6)));
          }
          i = buffer.indexOf('\n\n');
        }
      });
    },
  );
  req.on('error', () => undefined);
  return { events, close: () => req.destroy() };
}

const sendAlarm = (e: AlarmTransitionEvent) => producer.send('alarms', [{ key: e.enterpriseId, value: e }]);

describe('operator-api against the real stack', () => {
  it('streams an alarm from yj.alarms.v1 over SSE, and a city regulator never sees another city', async () => {
    const ty = await token('regulator', { level: 'city', code: TAIYUAN.city });
    const sse = openSse('/api/v1/stream/alarms', ty);
    await waitFor(() => api.streams.size === 1, { message: 'SSE stream not open' });
    const dt = alarmEvent(E_DT, { alarmId: `${E_DT}:CO-BF1-003:co-high:${Date.now()}` });
    const tyAlarm = alarmEvent(E_TY, { alarmId: `${E_TY}:CO-BF1-003:co-high:${Date.now()}` });
    await sendAlarm(dt);
    await sendAlarm(tyAlarm);
    await waitFor(() => sse.events.some((e) => e.alarmId === tyAlarm.alarmId) && hub.latest(dt.alarmId), {
      timeoutMs: 20_000,
      message: 'Taiyuan alarm not streamed (or Datong alarm not consumed)',
    });
    // The hub dispatches synchronously: once it holds the Datong event, the filter has already dropped it.
    expect(sse.events.map((e) => e.enterpriseId)).not.toContain(E_DT);
    sse.close();
  });

  it('turns an ack into an AlarmCommand and answers 200 with the transition the worker emits', async () => {
    const raised = alarmEvent(E_TY, { alarmId: `${E_TY}:CO-BF1-003:co-high:${Date.now() + 1}` });
    await sendAlarm(raised);
    await waitFor(() => hub.latest(raised.alarmId), { message: 'raised alarm not consumed' });
    // The test plays the rules-worker: answer each command with a transition and a result.
    const commands = await new TopicCollector(topics.kafka, topicName('alarmCommands', topics.prefix)).start(
      true,
    );
    const worker = (async () => {
      const [rec] = await commands.until((r) => r.length > 0, { timeoutMs: 20_000 });
      const cmd = TOPICS.alarmCommands.schema.parse(JSON.parse(String(rec?.value))) as AlarmCommand;
      await sendAlarm({
        ...raised,
        transition: 'ack',
        state: 'active-ack',
        seq: 2,
        actor: cmd.actor,
        emittedAt: Date.now(),
      });
      await producer.send('alarmCommandResults', [
        {
          key: cmd.enterpriseId,
          value: {
            commandId: cmd.commandId,
            alarmId: cmd.alarmId,
            enterpriseId: cmd.enterpriseId,
            ok: true,
            at: Date.now(),
          },
        },
      ]);
      return cmd;
    })();
    const op = await token('operator', { level: 'province', code: '140000' }, { sub: 'op-int' });
    const res = await fetch(`${base}/api/v1/alarms/${encodeURIComponent(raised.alarmId)}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' },
      body: JSON.stringify({ comment: 'checked on site' }),
    });
    const cmd = await worker;
    await commands.stop();
    expect(cmd).toMatchObject({
      action: 'ack',
      alarmId: raised.alarmId,
      actor: { id: 'op-int', role: 'operator' },
      comment: 'checked on site',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { commandId: string; transition: AlarmTransitionEvent };
    expect(body.commandId).toBe(cmd.commandId);
    expect(body.transition).toMatchObject({
      transition: 'ack',
      state: 'active-ack',
      actor: { id: 'op-int' },
    });
  });

  it('lists stored alarms by scope and computes connectivity from gateway_status rows', async () => {
    const tables = tableNames(qdbPrefix.prefix);
    const ilp = await createIlpSender({ httpUrl: serviceEnv().questdbHttp });
    const now = Date.now();
    const ty = alarmEvent(E_TY, {
      alarmId: `${E_TY}:P:r:${now}`,
      emittedAt: now - 1000,
      episodeStart: now - 1000,
    });
    const dt = alarmEvent(E_DT, {
      alarmId: `${E_DT}:P:r:${now}`,
      emittedAt: now - 1000,
      episodeStart: now - 1000,
    });
    try {
      await ilp.write([alarmEventRow(tables, ty), alarmEventRow(tables, dt)]);
      // Taiyuan's gateway came online 6 h before `to`, Datong's never reported: 接入率 TY 1, DT 0.
      await ilp.write([
        gatewayStatusRow(tables, {
          enterpriseId: E_TY,
          gatewayId: 'gw-01',
          type: 'online',
          reason: 'status-message',
          at: now - 6 * 3_600_000,
        }),
      ]);
    } finally {
      await ilp.close();
    }
    await waitFor(
      async () =>
        (await walApplied(questdb, tables.alarm_events)) &&
        (await walApplied(questdb, tables.gateway_status)),
      {
        timeoutMs: 30_000,
        message: 'QuestDB WAL not applied',
      },
    );
    const reg = await token('regulator', { level: 'city', code: TAIYUAN.city });
    const list = (await (
      await fetch(`${base}/api/v1/alarms`, { headers: { authorization: `Bearer ${reg}` } })
    ).json()) as { items: AlarmTransitionEvent[] };
    expect(list.items.map((a) => a.alarmId)).toContain(ty.alarmId);
    expect(list.items.map((a) => a.enterpriseId)).not.toContain(E_DT);

    const admin = await token('admin', { level: 'province', code: '140000' });
    const report = (await (
      await fetch(`${base}/api/v1/reports/connectivity?from=${now - 24 * 3_600_000}&to=${now}`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as { rows: { code: string; accessRate: number; onlineRate: number }[] };
    const row = (code: string) => report.rows.find((r) => r.code === code);
    expect(row(TAIYUAN.city)?.accessRate).toBe(1);
    expect(row(TAIYUAN.city)?.onlineRate).toBeCloseTo(0.25, 5);
    expect(row('140200')?.accessRate).toBe(0);
    expect(row('140000')?.accessRate).toBe(0.5);
  });
});
