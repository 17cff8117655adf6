import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestServiceAccount, reloadByPidFile, syncBrokerAuthFiles } from '@yujing/broker-auth';
import { fixturesRegistryDir } from '@yujing/fixtures';
import { loadScenarioDir } from '@yujing/gateway-simulator';
import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { queueName } from '@yujing/queues';
import { loadRegistryDir, publishRegistry } from '@yujing/registry';
import { DeliveryInbox, type DeliveryRecordLine, RegulatorServer } from '@yujing/regulator-simulator';
import { AlarmTransitionEvent } from '@yujing/schemas';
import {
  createTestTopics,
  obliterateQueue,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadDriver } from '../../bench/pipeline/load-driver';
import { accountInjections, describeMissing, type Injection } from './support/alarm-accounting';
import { buildE2eFleet, type E2eFleet } from './support/e2e-fleet';
import { freePort, type RunningService, startServices, stopServices } from './support/service-processes';

/**
 * Every alarm delivered under load: healthy background readings from every point of the fleet
 * (bench/pipeline's load driver, real MQTT) while single CO excursions are injected; after a
 * bounded drain each injection must have raised co-limits on yj.alarms.v1 (its reading's ts as
 * eventTime) and that raise must have reached every webhook subscription in scope. Counted per
 * injection: some points are injected twice (the second after the off-delay returned the first),
 * and both raises are owed. No timing is asserted; the pipeline bench measures latency.
 */
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BACKGROUND_READINGS_PER_S = 3_000;
const INJECT_FOR_MS = 20_000;
const INJECT_EVERY_MS = 250;
/** co-limits offDelayMs is 10 s: after 14 s the first episode has returned, and a new excursion raises again. */
const REINJECT_AFTER_MS = 14_000;
const DRAIN_MS = 45_000;

const logger = createLogger({ service: 'e2e-alarms', level: 'warn' });
const suffix = randomBytes(4).toString('hex');
let topics: TestTopics;
let fleet: E2eFleet;
let services: RunningService[] = [];
let regulator: RegulatorServer | undefined;
let alarmsTopic: TopicCollector | undefined;
let driver: LoadDriver | undefined;
const deliveries: DeliveryRecordLine[] = [];
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
  (alarmsTopic?.json<unknown>() ?? []).flatMap((v) => {
    const r = AlarmTransitionEvent.safeParse(v);
    return r.success ? [r.data] : [];
  });

beforeAll(async () => {
  const env = serviceEnv();
  topics = await createTestTopics({ partitions: 3, label: 'e2e-alarms' });
  const co = (await loadScenarioDir()).find((s) => s.id === 'co-leak-ramp')!;
  const { document: base } = await loadRegistryDir(fixturesRegistryDir);
  const port = await freePort();
  fleet = buildE2eFleet(base, [co, co], {
    suffix,
    webhookBaseUrl: `http://127.0.0.1:${port}`,
    webhookSecret: `whsec_e2e_${suffix}_0123456789`,
  });
  regulator = new RegulatorServer({
    inbox: new DeliveryInbox({ subscriptions: fleet.document.subscriptions }),
    logger,
    onRecord: (r) => deliveries.push(r),
  });
  await regulator.listen([{ host: '127.0.0.1', port }]);
  const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await publishRegistry(producer, fleet.document, { changedBy: 'e2e-alarms' });
  await producer.disconnect();
  await syncBrokerAuthFiles(brokerTarget(), fleet.document.gateways);
  alarmsTopic = await new TopicCollector(topics.kafka, `${topics.prefix}yj.alarms.v1`).start();

  const run = `e2e-alarms-${suffix}`;
  services = await startServices(
    [
      {
        name: 'rules-worker',
        portVar: 'OPS_PORT',
        env: { GROUP_ID: `${run}-rules`, CLIENT_ID: `${run}-rules` },
      },
      // NODE_ENV=test: the regulator simulator listens on plain http (https-only in production)
      {
        name: 'alert-dispatcher',
        portVar: 'OPS_PORT',
        env: { KAFKA_GROUP_ID: `${run}-dispatch`, NODE_ENV: 'test' },
      },
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
      QUEUE_PREFIX: topics.prefix,
      REDIS_URL: env.redisUrl,
      MQTT_URL: env.mqttServiceUrl,
      MQTT_USERNAME: env.mqttServiceUser,
      MQTT_PASSWORD: env.mqttServicePassword,
      ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
      LOG_LEVEL: 'warn',
    },
    `${REPO_ROOT}/.run/e2e-alarms-${suffix}`,
  );
  driver = new LoadDriver(env.mqttUrl);
  await driver.open(fleet.fleet.gateways, `yj-e2e-alarms-${suffix}`);
});

afterAll(async () => {
  await driver?.close();
  await stopServices(services);
  await alarmsTopic?.stop().catch(() => undefined);
  await regulator?.close();
  if (fleet) {
    const usernames = fleet.document.gateways.map((g) => `${g.enterpriseId}.${g.id}`);
    await syncBrokerAuthFiles(brokerTarget(), [], { remove: usernames }).catch(() => undefined);
  }
  for (const q of ['escalation', 'deliveries'] as const)
    await obliterateQueue(queueName(q, topics.prefix)).catch(() => undefined);
  await topics?.cleanup();
});

describe('alarms under background load', () => {
  it('raises and delivers every injected excursion, re-injections on one point included', async () => {
    const d = driver!;
    const coPoints = fleet.fleet.gateways.flatMap((g) =>
      g.points.filter((p) => p.kind === 'co-concentration'),
    );
    // The pipeline must be ready before the clock starts: a first healthy message goes through.
    await d.run(BACKGROUND_READINGS_PER_S, Date.now() + 3_000);
    const injections: Injection[] = [];
    const firstAt = new Map<string, number>();
    const until = Date.now() + INJECT_FOR_MS + REINJECT_AFTER_MS;
    const load = d.run(BACKGROUND_READINGS_PER_S, until + 2_000);
    let next = 0;
    while (Date.now() < until) {
      // Points injected once, REINJECT_AFTER_MS ago, get their second excursion; else a new point.
      const due = [...firstAt].find(([, at]) => Date.now() - at >= REINJECT_AFTER_MS);
      let p: (typeof coPoints)[number];
      if (due) {
        firstAt.delete(due[0]);
        p = coPoints.find((x) => `${x.enterpriseId}:${x.code}` === due[0])!;
      } else if (Date.now() < until - REINJECT_AFTER_MS) {
        p = coPoints[next++ % coPoints.length]!;
        // Every third new point also gets a second excursion later.
        if (next % 3 === 0) firstAt.set(`${p.enterpriseId}:${p.code}`, Date.now());
      } else {
        await new Promise((r) => setTimeout(r, INJECT_EVERY_MS));
        continue;
      }
      const ts = d.inject(p.enterpriseId, p.code, 300);
      injections.push({
        id: `inj-${injections.length + 1}`,
        enterpriseId: p.enterpriseId,
        point: p.code,
        ts,
        value: 300,
      });
      await new Promise((r) => setTimeout(r, INJECT_EVERY_MS));
    }
    await load;
    const pointsInjectedTwice =
      injections.length - new Set(injections.map((i) => `${i.enterpriseId}:${i.point}`)).size;
    expect(pointsInjectedTwice).toBeGreaterThan(0);

    const account = () => accountInjections(injections, alarms(), deliveries, fleet.document, 'co-limits');
    await waitFor(() => describeMissing(account()).length === 0, {
      timeoutMs: DRAIN_MS,
      intervalMs: 500,
    }).catch(() => undefined);
    const final = account();
    expect(describeMissing(final)).toEqual([]);
    // Every raise was owed to at least one subscription (the enterprise-scoped regulator).
    expect(final.accounts.every((a) => a.expected.length > 0)).toBe(true);
    expect(final.latenciesMs.length).toBe(final.mustDeliver);
  });
});
