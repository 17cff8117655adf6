import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { QuestDbQuery } from '@yujing/questdb';
import { queueName } from '@yujing/queues';
import { publishRegistry } from '@yujing/registry';
import { DeliveryInbox, type DeliveryRecordLine, RegulatorServer } from '@yujing/regulator-simulator';
import { build, type RulesWorker, RulesWorkerConfig } from '@yujing/rules-worker';
import {
  type AlarmAction,
  type AlarmCommand,
  type AlarmCommandResult,
  type AlarmTransitionEvent,
  RegistryDocument,
} from '@yujing/schemas';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  testKafka,
  uniqueGroupId,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningService, startServices, stopServices } from '../e2e/support/service-processes';
import {
  closedLoopRegistry,
  E_OVERDUE,
  E_RESTART,
  readingsBatch,
  restartPoint,
  VERIFY_WITHIN_MS,
} from './support/closed-loop-registry';

/**
 * Issue 15's closed loop across real services: the rules-worker (in-process, built twice for the
 * restart), alert-dispatcher and store-writer (child processes), Kafka, Redis, QuestDB and the
 * regulator simulator as the 小店区 regulator's webhook.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const EPISODES = 600;
const logger = createLogger({ service: 'closed-loop-test', level: 'warn' });

describe('closed loop: durable open loops and overdue supervision', () => {
  const env = serviceEnv();
  let topics: TestTopics;
  let tables: ReturnType<typeof createQuestDbTablePrefix>;
  let query: QuestDbQuery;
  let producer: TypedProducer;
  let results: TopicCollector;
  let alarms: TopicCollector;
  let regulator: RegulatorServer;
  const webhooks: DeliveryRecordLine[] = [];
  let services: RunningService[] = [];
  let webhookBase = '';
  const transitionsOf = (alarmId: string) =>
    alarms
      .json<AlarmTransitionEvent>()
      .filter((a) => a.alarmId === alarmId)
      .map((a) => a.transition);
  let worker: RulesWorker | undefined;
  const groupId = uniqueGroupId('loop-rules');

  const startWorker = async () => {
    const w = build({
      config: RulesWorkerConfig.parse({
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        TOPIC_PREFIX: topics.prefix,
        GROUP_ID: groupId,
        TICK_INTERVAL_MS: '500ms',
        SESSION_TIMEOUT_MS: '10s',
        LOG_LEVEL: 'warn',
      }),
      logger: createLogger({ service: 'closed-loop-rules-worker', level: 'warn' }),
      kafka: testKafka(),
    });
    await w.start();
    await waitFor(() => w.ownedPartitions().length === 2, {
      timeoutMs: 60_000,
      message: 'rules-worker never owned both partitions',
    });
    return w;
  };

  const command = (enterpriseId: string, alarmId: string, action: AlarmAction, comment?: string) =>
    ({
      commandId: randomUUID(),
      alarmId,
      enterpriseId,
      action,
      actor: {
        id: 'reg-loop',
        role: action === 'feedback' || action === 'dispose' ? 'operator' : 'regulator',
      },
      ...(comment ? { comment } : {}),
      issuedAt: Date.now(),
    }) satisfies AlarmCommand;

  /** Sends commands (in order, one partition per enterprise) and waits for every result. */
  const run = async (commands: AlarmCommand[]) => {
    for (let i = 0; i < commands.length; i += 200)
      await producer.send(
        'alarmCommands',
        commands.slice(i, i + 200).map((c) => ({ key: c.enterpriseId, value: c })),
      );
    const ids = new Set(commands.map((c) => c.commandId));
    await results.until(
      (rs) => rs.filter((r) => ids.has(JSON.parse(r.value!.toString()).commandId)).length >= ids.size,
      { timeoutMs: 90_000, message: `results of ${ids.size} commands` },
    );
    const byId = new Map(
      results.json<AlarmCommandResult>().flatMap((r) => (ids.has(r.commandId) ? [[r.commandId, r]] : [])),
    );
    return commands.map((c) => byId.get(c.commandId)!);
  };

  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 2, label: 'closed-loop' });
    tables = createQuestDbTablePrefix('closed_loop');
    query = new QuestDbQuery({ connectionString: env.questdbPg });
    const port = await freePort();
    webhookBase = `http://127.0.0.1:${port}`;
    const doc = closedLoopRegistry(webhookBase);
    regulator = new RegulatorServer({
      inbox: new DeliveryInbox({ subscriptions: doc.subscriptions }),
      logger,
      onRecord: (r) => webhooks.push(r),
    });
    await regulator.listen([{ host: '127.0.0.1', port }]);
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    await publishRegistry(producer, doc, { changedBy: 'closed-loop-test' });
    results = await new TopicCollector(topics.kafka, `${topics.prefix}yj.alarm-command-results.v1`).start();
    alarms = await new TopicCollector(topics.kafka, `${topics.prefix}yj.alarms.v1`).start();
    const runId = topics.prefix.slice(0, -1);
    [services, worker] = await Promise.all([
      startServices(
        [
          { name: 'store-writer', portVar: 'OPS_PORT', env: { CONSUMER_GROUP: uniqueGroupId('loop-store') } },
          {
            name: 'alert-dispatcher',
            portVar: 'OPS_PORT',
            env: { KAFKA_GROUP_ID: uniqueGroupId('loop-dispatch') },
          },
        ],
        {
          KAFKA_BROKERS: env.kafkaBrokers.join(','),
          TOPIC_PREFIX: topics.prefix,
          QDB_TABLE_PREFIX: tables.prefix,
          QUEUE_PREFIX: topics.prefix,
          QUESTDB_PG: env.questdbPg,
          QUESTDB_HTTP: env.questdbHttp,
          REDIS_URL: env.redisUrl,
          ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
          LOG_LEVEL: 'info',
        },
        `${REPO_ROOT}/.run/${runId}`,
      ),
      startWorker(),
    ]);
  }, 240_000);

  afterAll(async () => {
    await worker?.stop();
    await stopServices(services);
    await results?.stop();
    await alarms?.stop();
    await producer?.disconnect();
    await regulator?.close();
    for (const q of ['deliveries', 'escalation'] as const)
      await obliterateQueue(queueName(q, topics.prefix)).catch(() => undefined);
    await query?.close();
    await tables?.cleanup().catch(() => undefined);
    await topics?.cleanup();
  }, 120_000);

  it('a 核实 deadline missed → loop-overdue → loop.overdue delivered, signed, to the county regulator only', async () => {
    const ts = Date.now();
    const alarmId = `${E_OVERDUE}:CO-1:co-limits:${ts}`;
    await producer.send('readings', [
      {
        key: E_OVERDUE,
        value: readingsBatch(E_OVERDUE, 0, [
          { ts: ts - 10_000, v: 10 },
          { ts, v: 30 },
        ]),
      },
    ]);
    const notice = await waitFor(
      () => webhooks.find((w) => w.event === 'loop.overdue' && w.payload?.alarm.alarmId === alarmId),
      { timeoutMs: 60_000, message: `loop.overdue of ${alarmId} at the regulator` },
    );
    expect(notice).toMatchObject({ subscriptionId: 'reg-xiaodian', outcome: 'accepted', status: 200 });
    expect(notice.payload?.alarm).toMatchObject({
      transition: 'loop-overdue',
      loop: 'open',
      loopDue: { step: 'verify', dueAt: ts + VERIFY_WITHIN_MS },
    });
    expect(notice.receivedAt).toBeGreaterThanOrEqual(ts + VERIFY_WITHIN_MS);
    // The raise reached the same regulator first; nothing went to the other city.
    expect(webhooks.some((w) => w.event === 'alarm.raised' && w.payload?.alarm.alarmId === alarmId)).toBe(
      true,
    );
    expect(webhooks.filter((w) => w.subscriptionId === 'reg-datong')).toEqual([]);
  });

  it('a maintenance window published to the registry takes the point’s alarm out of service, naming who and why', async () => {
    const ts = Date.now();
    const alarmId = `${E_OVERDUE}:CO-2:co-limits:${ts}`;
    await producer.send('readings', [
      {
        key: E_OVERDUE,
        value: readingsBatch(E_OVERDUE, 1, [
          { point: 'CO-2', ts: ts - 10_000, v: 10 },
          { point: 'CO-2', ts, v: 30 },
        ]),
      },
    ]);
    await waitFor(() => transitionsOf(alarmId).includes('raise'), { message: `raise of ${alarmId}` });
    const doc = closedLoopRegistry(webhookBase);
    const enterprise = doc.enterprises.find((e) => e.id === E_OVERDUE)!;
    const window = {
      id: 'mw-co2',
      mode: 'out-of-service' as const,
      points: ['CO-2'],
      from: Date.now(),
      to: Date.now() + 3_600_000,
      reason: '更换 CO-2 探头',
      requestedBy: { id: 'op-maint', role: 'operator' as const },
    };
    await publishRegistry(
      producer,
      RegistryDocument.parse({ enterprises: [{ ...enterprise, maintenanceWindows: [window] }] }),
      { changedBy: 'api:op-maint' },
    );
    const held = await waitFor(
      () =>
        alarms
          .json<AlarmTransitionEvent>()
          .find((a) => a.alarmId === alarmId && a.transition === 'out-of-service'),
      { timeoutMs: 30_000, message: `out-of-service of ${alarmId}` },
    );
    expect(held).toMatchObject({
      state: 'out-of-service',
      actor: { id: 'op-maint', role: 'operator' },
      comment: '检修 mw-co2: 更换 CO-2 探头',
    });
  });

  it(`closes the oldest open loop after a restart with ${EPISODES} settled alarms in one enterprise`, async () => {
    // Each of 600 detectors goes over the limit (1 s apart, point 0 first), is acknowledged, and
    // returns: 600 settled (normal) alarms in one enterprise, every loop still open.
    const t0 = Date.now() - 3_600_000;
    const points = Array.from({ length: EPISODES }, (_, i) => restartPoint(i));
    const ids = points.map((p, i) => `${E_RESTART}:${p}:co-limits:${t0 + i * 1000}`);
    const over = points.map((point, i) => ({ point, ts: t0 + i * 1000, v: 30 }));
    await producer.send('readings', [{ key: E_RESTART, value: readingsBatch(E_RESTART, 0, over) }]);
    // Readings and commands are two topics: wait for every raise before acknowledging.
    await alarms.until(
      (rs) =>
        rs.filter((r) => r.key === E_RESTART && r.value?.includes('"transition":"raise"')).length >= EPISODES,
      { timeoutMs: 90_000, message: `${EPISODES} raises of ${E_RESTART}` },
    );
    const acks = await run(ids.map((id) => command(E_RESTART, id, 'ack')));
    expect(acks.filter((r) => !r.ok)).toEqual([]);
    const under = points.map((point, i) => ({ point, ts: t0 + 600_000 + i * 1000, v: 10 }));
    await producer.send('readings', [{ key: E_RESTART, value: readingsBatch(E_RESTART, 1, under) }]);
    await alarms.until(
      (rs) =>
        rs.filter((r) => r.key === E_RESTART && r.value?.includes('"transition":"clear"')).length >= EPISODES,
      { timeoutMs: 90_000, message: `${EPISODES} clears of ${E_RESTART}` },
    );

    await worker?.stop();
    worker = undefined;
    worker = await startWorker();

    const oldest = ids[0]!;
    const steps = await run([
      command(E_RESTART, oldest, 'verify', '现场核实：报警属实'),
      command(E_RESTART, oldest, 'dispose', '已处置'),
      command(E_RESTART, oldest, 'feedback', '已更换密封垫，复测 8 ppm'),
      command(E_RESTART, oldest, 'close', '同意销号'),
    ]);
    expect(steps.map((r) => [r.ok, r.code ?? null])).toEqual([
      [true, null],
      [true, null],
      [true, null],
      [true, null],
    ]);
    // The audit trail is in QuestDB: who closed it, when, with what text.
    const rows = await waitFor(
      async () => {
        const r = await query
          .query<{ transition: string; loop: string; actor: string; comment: string }>(
            `SELECT transition, loop, actor, comment FROM ${tables.prefix}alarm_events WHERE alarm_id = $1 ORDER BY ts, seq`,
            [oldest],
          )
          .catch(() => []);
        return r.some((x) => x.transition === 'close') && r;
      },
      { timeoutMs: 60_000, intervalMs: 500, message: `close of ${oldest} stored in QuestDB` },
    );
    expect(rows.filter((r) => ['verify', 'dispose', 'feedback', 'close'].includes(r.transition))).toEqual([
      { transition: 'verify', loop: 'verified', actor: 'regulator:reg-loop', comment: '现场核实：报警属实' },
      { transition: 'dispose', loop: 'disposed', actor: 'operator:reg-loop', comment: '已处置' },
      {
        transition: 'feedback',
        loop: 'fed-back',
        actor: 'operator:reg-loop',
        comment: '已更换密封垫，复测 8 ppm',
      },
      { transition: 'close', loop: 'closed', actor: 'regulator:reg-loop', comment: '同意销号' },
    ]);
  });
});
