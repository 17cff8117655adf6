import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { queueName } from '@yujing/queues';
import { publishRegistry } from '@yujing/registry';
import { build, type RulesWorker, RulesWorkerConfig } from '@yujing/rules-worker';
import type { AlarmTransitionEvent } from '@yujing/schemas';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  obliterateQueue,
  openSse,
  type SseClient,
  serviceEnv,
  type TestTopics,
  testKafka,
  uniqueGroupId,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, startServices, stopServices } from '../e2e/support/service-processes';
import { mintWithCli } from './support/cli-token';
import { coBatch, E_A, E_B, twoCityRegistry } from './support/two-city-registry';

/**
 * Issue 7's closed loop across real services: readings on yj.readings.v1 → the real rules-worker
 * (in-process, its exported build()) raises → the real operator-api (child process: its package
 * exports no build()) streams it over SSE; ack and close go back through the API to the worker.
 * store-writer runs too, so `GET /api/v1/alarms` (QuestDB) has rows to leak or not.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const JWT_SECRET = `alarm-loop-${randomBytes(16).toString('hex')}`;

const mint = (role: string, scope: string, sub: string) => mintWithCli(JWT_SECRET, role, scope, sub);

describe('alarm loop: rules-worker → operator-api (SSE, REST) → rules-worker', () => {
  let topics: TestTopics;
  let tables: ReturnType<typeof createQuestDbTablePrefix>;
  let worker: RulesWorker | undefined;
  let services: RunningService[] = [];
  let base = '';
  const streams: SseClient[] = [];
  const tokens = { operator: '', regulatorA: '' };
  let opStream: SseClient;
  let regAStream: SseClient;
  const t0 = Date.now() - 60_000;
  // Deterministic ids ({enterprise}:{point}:{rule}:{episodeStart}): the raise is the 30 ppm reading at t0 + 10 s.
  const alarmA = `${E_A}:CO-1:co-limits:${t0 + 10_000}`;
  const alarmB = `${E_B}:CO-1:co-limits:${t0 + 10_000}`;

  const api = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const listIds = async (token: string) => {
    const res = await api('/api/v1/alarms?limit=1000', token);
    if (res.status !== 200) throw new Error(`GET /api/v1/alarms → ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { items: AlarmTransitionEvent[] }).items;
  };
  const seen = (s: SseClient, alarmId: string, transition: string) =>
    s.alarms.find((a) => a.alarmId === alarmId && a.transition === transition);

  beforeAll(async () => {
    const env = serviceEnv();
    topics = await createTestTopics({ partitions: 2, label: 'alarm-loop' });
    tables = createQuestDbTablePrefix('alarm_loop');
    const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    await publishRegistry(producer, twoCityRegistry(), { changedBy: 'alarm-loop-test' });
    await producer.disconnect();

    const run = topics.prefix.slice(0, -1);
    worker = build({
      config: RulesWorkerConfig.parse({
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        TOPIC_PREFIX: topics.prefix,
        GROUP_ID: uniqueGroupId('loop-rules'),
        TICK_INTERVAL_MS: '500ms',
        SESSION_TIMEOUT_MS: '10s',
        LOG_LEVEL: 'warn',
      }),
      logger: createLogger({ service: 'alarm-loop-rules-worker', level: 'warn' }),
      kafka: testKafka(),
    });
    const [running] = await Promise.all([
      startServices(
        [
          { name: 'store-writer', portVar: 'OPS_PORT', env: { CONSUMER_GROUP: uniqueGroupId('loop-store') } },
          { name: 'operator-api', portVar: 'PORT', env: { CONSUMER_GROUP: uniqueGroupId('loop-api') } },
        ],
        {
          KAFKA_BROKERS: env.kafkaBrokers.join(','),
          TOPIC_PREFIX: topics.prefix,
          QDB_TABLE_PREFIX: tables.prefix,
          QUEUE_PREFIX: topics.prefix,
          QUESTDB_PG: env.questdbPg,
          QUESTDB_HTTP: env.questdbHttp,
          REDIS_URL: env.redisUrl,
          JWT_SECRET,
          INSTANCE_ID: run,
          COMMAND_WAIT_MS: '30s', // a loaded CI box must not turn the worker's answer into a 202
          RATE_LIMIT_PER_MIN: '100000', // the list is polled while store-writer catches up
          LOG_LEVEL: 'info',
        },
        `${REPO_ROOT}/.run/${run}`,
      ),
      worker.start(),
    ]);
    services = running;
    base = `http://127.0.0.1:${services.find((s) => s.name === 'operator-api')!.port}`;
    await waitFor(() => worker!.ownedPartitions().length === 2, {
      timeoutMs: 60_000,
      message: 'rules-worker never owned both partitions',
    });
    [tokens.operator, tokens.regulatorA] = await Promise.all([
      mint('operator', 'province:140000', 'op-loop'),
      mint('regulator', 'city:140100', 'reg-taiyuan'),
    ]);
  }, 240_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await stopServices(services);
    await worker?.stop();
    await obliterateQueue(queueName('deliveries', topics.prefix)).catch(() => undefined);
    await tables?.cleanup().catch(() => undefined);
    await topics?.cleanup();
  }, 120_000);

  it('readings over the CO limit raise an alarm that reaches the operator SSE stream', async () => {
    opStream = openSse(`${base}/api/v1/stream/alarms`, tokens.operator);
    regAStream = openSse(`${base}/api/v1/stream/alarms`, tokens.regulatorA);
    streams.push(opStream, regAStream);
    await waitFor(
      () => {
        for (const s of streams) if (s.error) throw s.error;
        return opStream.opened && regAStream.opened;
      },
      { message: 'SSE streams did not open' },
    );
    expect([opStream.status, regAStream.status]).toEqual([200, 200]);

    const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    try {
      for (const eid of [E_B, E_A])
        await producer.send('readings', [
          { key: eid, value: coBatch(eid, 0, t0, 10) },
          { key: eid, value: coBatch(eid, 1, t0 + 10_000, 30) },
        ]);
    } finally {
      await producer.disconnect();
    }
    const raised = await waitFor(() => seen(opStream, alarmA, 'raise'), {
      timeoutMs: 60_000,
      message: `raise of ${alarmA} on the operator stream`,
    });
    expect(raised).toMatchObject({
      enterpriseId: E_A,
      point: 'CO-1',
      state: 'active-unack',
      level: 3,
      value: 30,
    });
    await waitFor(() => seen(opStream, alarmB, 'raise'), {
      timeoutMs: 60_000,
      message: `raise of ${alarmB} (city B) on the province operator stream`,
    });
  });

  it('an ack through the API reaches the worker: 200 with the transition, and active-ack on the stream', async () => {
    const res = await api(`/api/v1/alarms/${encodeURIComponent(alarmA)}/ack`, tokens.operator, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: '现场已确认，风机已开启' }),
    });
    const body = (await res.json()) as { status: string; result: { ok: boolean }; transition: unknown };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      status: 'applied',
      result: { ok: true, alarmId: alarmA },
      transition: {
        alarmId: alarmA,
        transition: 'ack',
        state: 'active-ack',
        actor: { id: 'op-loop', role: 'operator' },
      },
    });
    for (const s of [opStream, regAStream]) {
      const ack = await waitFor(() => seen(s, alarmA, 'ack'), { message: 'ack transition on the stream' });
      expect(ack).toMatchObject({ state: 'active-ack', actor: { id: 'op-loop' } });
    }
  });

  it('a city-A regulator never sees the city-B alarm, on its stream or in GET /api/v1/alarms', async () => {
    // The city-B raise reached the province stream before the ack was sent, and each stream is one ordered
    // connection: had the regulator's stream carried it, it would be there before A's ack.
    expect(seen(regAStream, alarmA, 'raise')).toBeDefined();
    expect(regAStream.alarms.filter((a) => a.enterpriseId !== E_A)).toEqual([]);

    const all = await waitFor(
      async () => {
        const ids = (await listIds(tokens.operator)).map((a) => a.alarmId);
        return ids.includes(alarmA) && ids.includes(alarmB) && ids;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 500,
        message: 'both alarms stored and listed for the province operator',
      },
    );
    expect(all).toEqual(expect.arrayContaining([alarmA, alarmB]));
    const regional = await listIds(tokens.regulatorA);
    expect(regional.map((a) => a.alarmId)).toContain(alarmA);
    expect(regional.filter((a) => a.enterpriseId !== E_A)).toEqual([]);
  });

  it('close before verify is refused by the worker and answered 409 by the API', async () => {
    const res = await api(`/api/v1/alarms/${encodeURIComponent(alarmA)}/close`, tokens.regulatorA, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ comment: '申请销号' }),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ status: 409, code: 'YJ_ERR_ALARM_LOOP_ORDER' });
  });
});
