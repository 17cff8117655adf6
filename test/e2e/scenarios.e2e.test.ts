import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestServiceAccount, reloadByPidFile, syncBrokerAuthFiles } from '@yujing/broker-auth';
import { devGatewayCredentials, fixturesRegistryDir } from '@yujing/fixtures';
import {
  boundExpectations,
  eventMeets,
  FleetSimulation,
  forbiddenRaises,
  loadScenarioDir,
  MqttTransport,
  type ScenarioRun,
  SimulatorRunner,
  unmetExpectations,
} from '@yujing/gateway-simulator';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { queueName } from '@yujing/queues';
import { loadRegistryDir, publishRegistry } from '@yujing/registry';
import { DeliveryInbox, type DeliveryRecordLine, RegulatorServer } from '@yujing/regulator-simulator';
import { AlarmTransitionEvent, DeadLetterRecord } from '@yujing/schemas';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildE2eFleet, type E2eFleet } from './support/e2e-fleet';
import { freePort, type RunningService, startServices, stopServices } from './support/service-processes';
import { StoredRows } from './support/stored-rows';

/**
 * Every scenario of simulators/scenarios against the real pipeline: gateway simulator (MQTT) →
 * Mosquitto → gateway-ingest → Kafka → rules-worker → alert-dispatcher → signed webhook to the
 * regulator, and store-writer → QuestDB. All scenarios run at once, each on its own enterprise
 * of an isolated, renamed copy of the fixture fleet; topics, tables and queues are per run.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SCENARIOS = await loadScenarioDir();
const FIRST_SCENARIO_AFTER_MS = 20_000;
const SLACK_MS = 60_000;

const logger = createLogger({ service: 'e2e', level: 'warn' });
const suffix = randomBytes(4).toString('hex');
let topics: TestTopics;
let tables: ReturnType<typeof createQuestDbTablePrefix>;
let e2e: E2eFleet;
let services: RunningService[] = [];
let runner: SimulatorRunner | undefined;
let regulator: RegulatorServer | undefined;
let stored: StoredRows;
const collectors: TopicCollector[] = [];
const deliveries: DeliveryRecordLine[] = [];
const runs = new Map<string, ScenarioRun>();
const backfills = new Map<string, { fromMs: number; toMs: number; readings: number }>();
const brokerTarget = () => {
  const dir = `${REPO_ROOT}/.stack/mosquitto`;
  return {
    passwdPath: `${dir}/passwd`,
    aclPath: `${dir}/acl`,
    serviceAccounts: [ingestServiceAccount(serviceEnv().mqttServiceUser)],
    mode: 'additive' as const,
    reload: reloadByPidFile(`${dir}/mosquitto.pid`),
  };
};

const alarms = () =>
  collectors[0]!.json<unknown>().flatMap((v) => {
    const r = AlarmTransitionEvent.safeParse(v);
    return r.success ? [r.data] : [];
  });
const deadLetters = () =>
  collectors[1]!.json<unknown>().flatMap((v) => {
    const r = DeadLetterRecord.safeParse(v);
    return r.success ? [r.data] : [];
  });

beforeAll(async () => {
  const env = serviceEnv();
  topics = await createTestTopics({ partitions: 3, label: 'e2e' });
  tables = createQuestDbTablePrefix('e2e');
  stored = new StoredRows(env.questdbPg, tables.prefix);
  await stored.connect();

  const port = await freePort();
  const { document: base } = await loadRegistryDir(fixturesRegistryDir);
  e2e = buildE2eFleet(base, SCENARIOS, {
    suffix,
    webhookBaseUrl: `http://127.0.0.1:${port}`,
    webhookSecret: `whsec_e2e_${suffix}_0123456789`,
  });
  regulator = new RegulatorServer({
    inbox: new DeliveryInbox({ subscriptions: e2e.document.subscriptions }),
    logger,
    onRecord: (r) => deliveries.push(r),
  });
  await regulator.listen([{ host: '127.0.0.1', port }]);

  const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await publishRegistry(producer, e2e.document, { changedBy: 'e2e' });
  await producer.disconnect();
  await syncBrokerAuthFiles(brokerTarget(), e2e.document.gateways);

  for (const id of ['alarms', 'deadLetter'] as const) {
    collectors.push(
      await new TopicCollector(
        topics.kafka,
        `${topics.prefix}${id === 'alarms' ? 'yj.alarms.v1' : 'yj.deadletter.v1'}`,
      ).start(),
    );
  }

  const run = `e2e-${suffix}`;
  services = await startServices(
    [
      { name: 'store-writer', portVar: 'OPS_PORT', env: { CONSUMER_GROUP: `${run}-store` } },
      {
        name: 'rules-worker',
        portVar: 'OPS_PORT',
        env: { GROUP_ID: `${run}-rules`, CLIENT_ID: `${run}-rules` },
      },
      { name: 'alert-dispatcher', portVar: 'OPS_PORT', env: { KAFKA_GROUP_ID: `${run}-dispatch` } },
      { name: 'operator-api', portVar: 'PORT', env: { CONSUMER_GROUP: `${run}-api` } },
      {
        name: 'gateway-ingest',
        portVar: 'HTTP_PORT',
        env: {
          MQTT_CLIENT_ID: `${run}-ingest`,
          MQTT_SHARE_GROUP: `${run}-ingest`,
          MQTT_SESSION_EXPIRY: '2m',
        },
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
      MQTT_URL: env.mqttServiceUrl,
      MQTT_USERNAME: env.mqttServiceUser,
      MQTT_PASSWORD: env.mqttServicePassword,
      JWT_SECRET: `e2e-jwt-secret-${suffix}-0123456789abcdef`,
      ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
      LOG_LEVEL: 'info',
    },
    `${REPO_ROOT}/.run/e2e-${suffix}`,
  );

  const now = Date.now();
  const sim = new FleetSimulation(e2e.fleet, { seed: suffix, startMs: now });
  for (const r of e2e.resolved) sim.schedule(r.scenario, now + FIRST_SCENARIO_AFTER_MS);
  runner = new SimulatorRunner({
    fleet: sim,
    transport: new MqttTransport({
      url: env.mqttUrl,
      credentials: devGatewayCredentials,
      logger,
      clientIdPrefix: `yj-e2e-${suffix}`,
    }),
    tickMs: 1000,
    logger,
    onTick: (tick) => {
      for (const r of tick.started) runs.set(r.id, r);
      for (const g of tick.gateways)
        if (g.backfilled) backfills.set(`${g.enterpriseId}:${g.gatewayId}`, g.backfilled);
    },
  });
  await runner.start();
});

afterAll(async () => {
  await runner?.stop().catch(() => undefined);
  await stopServices(services);
  for (const c of collectors) await c.stop().catch(() => undefined);
  await regulator?.close();
  await stored?.close().catch(() => undefined);
  if (e2e) {
    const usernames = e2e.document.gateways.map((g) => `${g.enterpriseId}.${g.id}`);
    await syncBrokerAuthFiles(brokerTarget(), [], { remove: usernames }).catch(() => undefined);
  }
  for (const q of ['escalation', 'deliveries'] as const)
    await obliterateQueue(queueName(q, topics.prefix)).catch(() => undefined);
  await tables?.cleanup().catch(() => undefined);
  await topics?.cleanup();
});

describe.each(SCENARIOS.map((s) => [s.id]))('scenario %s', (id) => {
  it('produces exactly what it declares: alarms, no forbidden alarms, dead letters, stored rows, deliveries', async () => {
    const resolved = e2e.resolved.find((r) => r.scenario.id === id)!;
    const run = await waitFor(() => runs.get(id), {
      timeoutMs: FIRST_SCENARIO_AFTER_MS + 30_000,
      message: `${id} did not start`,
    });
    const deadline = () => Math.max(5_000, run.endMs + resolved.scenario.settle + SLACK_MS - Date.now());
    const expected = boundExpectations(resolved);
    const enterpriseId = resolved.enterpriseId;
    const mine = () => alarms().filter((a) => a.enterpriseId === enterpriseId);

    await waitFor(() => unmetExpectations(expected, mine()).length === 0, {
      timeoutMs: deadline(),
      intervalMs: 500,
    }).catch(() => {
      const seen = mine().map(
        (a) => `${a.transition} ${a.kind}/${a.rule} L${a.level} ${a.point} [${a.state}]`,
      );
      throw new Error(
        `${id}: missing ${unmetExpectations(expected, mine())
          .map((x) => x.label)
          .join('; ')}\nseen:\n  ${seen.join('\n  ')}`,
      );
    });
    const matched = [
      ...new Set(
        mine()
          .filter((a) => expected.some((x) => eventMeets(a, x)))
          .map((a) => a.alarmId),
      ),
    ];

    // Absence and stored back-fill need the window closed and the pipeline past it.
    const windowEnd = run.endMs + resolved.scenario.settle;
    await waitFor(async () => (await stored.latestReadingMs(enterpriseId)) >= windowEnd, {
      timeoutMs: Math.max(5_000, windowEnd + SLACK_MS - Date.now()),
      intervalMs: 1000,
      message: `${id}: readings of ${enterpriseId} did not reach QuestDB past the scenario window`,
    });
    expect(forbiddenRaises(resolved, mine()).map((a) => `${a.kind}/${a.rule} ${a.point}`)).toEqual([]);

    const gw = Object.values(resolved.targets)[0]!;
    if (resolved.scenario.expect.deadLetters > 0) {
      const fromGateway = () =>
        deadLetters().filter(
          (d) => d.context.enterpriseId === enterpriseId && d.context.gatewayId === gw.gatewayId,
        );
      await waitFor(() => fromGateway().length >= resolved.scenario.expect.deadLetters, {
        timeoutMs: 30_000,
        intervalMs: 500,
      }).catch(() => {
        throw new Error(
          `${id}: dead letters ${fromGateway()
            .map((d) => d.reason)
            .join(', ')} (want ${resolved.scenario.expect.deadLetters})`,
        );
      });
    }
    if (resolved.scenario.expect.backfilledReadingsStored) {
      const b = backfills.get(`${enterpriseId}:${gw.gatewayId}`);
      expect(b?.readings).toBeGreaterThan(0);
      await waitFor(async () => (await stored.readings(enterpriseId, b!.fromMs, b!.toMs)) === b!.readings, {
        timeoutMs: 30_000,
        intervalMs: 1000,
        message: `${id}: back-filled readings not all in QuestDB (want ${b?.readings})`,
      });
    }
    for (const alarmId of matched) {
      await waitFor(async () => (await stored.alarmEvents(alarmId)) > 0, {
        timeoutMs: 30_000,
        intervalMs: 1000,
        message: `${alarmId} not in alarm_events`,
      });
    }
    if (resolved.scenario.expect.delivered) {
      const delivered = () =>
        deliveries.filter(
          (d) => d.outcome === 'accepted' && matched.includes(d.payload?.alarm.alarmId ?? ''),
        );
      await waitFor(() => delivered().length > 0, {
        timeoutMs: 60_000,
        intervalMs: 500,
        message: `${id}: no signed webhook delivery for ${matched.join(', ')}`,
      });
      const alarmId = delivered()[0]!.payload!.alarm.alarmId;
      await waitFor(async () => (await stored.deliveries(alarmId)) > 0, {
        timeoutMs: 30_000,
        intervalMs: 1000,
        message: `${alarmId}: no delivered row in QuestDB`,
      });
    }
  });
});
