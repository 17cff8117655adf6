/**
 * Whole-pipeline benchmark: simulated gateways over MQTT → gateway-ingest → Kafka → rules-worker
 * → alert-dispatcher → signed webhook, and store-writer → QuestDB, every service a real process
 * on this machine (isolated topics, tables, queues, groups, renamed fleet, as in test/e2e).
 *   1. rates in BENCH_RATES (readings/s) for BENCH_STEP_S each; a rate is sustained when the
 *      driver kept it, ingest kept up, and neither rules-worker nor store-writer lag grew;
 *   2. readings lost = published − rows in QuestDB after draining (must be 0);
 *   3. alarm latency sensor timestamp → webhook receipt, at half the best sustained rate;
 *   4. raw baselines with equal payloads: mosquitto_pub → mosquitto_sub, kcat produce/consume.
 *   source deploy/local/env.sh && pnpm exec tsx bench/pipeline.bench.ts     (bench/run.sh runs it)
 * Writes its table into bench/README.md under "## Pipeline".
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ingestServiceAccount, reloadByPidFile, syncBrokerAuthFiles } from '@yujing/broker-auth';
import { devGatewayCredentials, fixturesRegistryDir } from '@yujing/fixtures';
import { loadScenarioDir } from '@yujing/gateway-simulator';
import { createKafka, deleteTopicsWithPrefix, ensureTopics, TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { countRows, QuestDbQuery } from '@yujing/questdb';
import { loadRegistryDir, publishRegistry } from '@yujing/registry';
import { DeliveryInbox, type DeliveryRecordLine, RegulatorServer } from '@yujing/regulator-simulator';
import { buildE2eFleet } from '../test/e2e/support/e2e-fleet';
import { freePort, startServices, stopServices } from '../test/e2e/support/service-processes';
import { consumerLag, topicEnd } from './pipeline/consumer-lag';
import { LoadDriver } from './pipeline/load-driver';
import { type Baseline, kcatBaseline, mosquittoBaseline } from './pipeline/transport-baselines';

const env = process.env;
const STEP_S = Number(env.BENCH_STEP_S ?? 60);
const LATENCY_S = Number(env.BENCH_LATENCY_S ?? 60);
const RATES = (env.BENCH_RATES ?? '2000,5000,10000,20000,50000,100000').split(',').map(Number);
const ENTERPRISES = Number(env.BENCH_ENTERPRISES ?? 4);
const brokers = env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const mqttUrl = env.MQTT_URL ?? 'mqtt://127.0.0.1:1884';
/** gateway-ingest logs in on Mosquitto's service-accounts listener (gateways use mqttUrl). */
const mqttServiceUrl = env.MQTT_SERVICE_URL ?? 'mqtt://127.0.0.1:1885';
const svcUser = env.YJ_MQTT_SERVICE_USER ?? 'yujing-ingest';
const svcPassword = env.YJ_MQTT_SERVICE_PASSWORD ?? 'yujing-ingest-dev';
const questdbPg = env.QUESTDB_PG ?? 'postgres://admin:quest@127.0.0.1:8812/qdb';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = fileURLToPath(new URL('./README.md', import.meta.url));
const id = randomBytes(4).toString('hex');
const prefix = `bench-pipe-${id}.`;
const tablePrefix = `bench_pipe_${id}_`;
const logger = createLogger({ service: 'bench', level: 'warn' });
const kafka = createKafka({ clientId: `bench-${id}`, brokers: brokers.split(','), logger });
const admin = kafka.admin();
const query = new QuestDbQuery({ connectionString: questdbPg });
const brokerTarget = {
  passwdPath: `${ROOT}.stack/mosquitto/passwd`,
  aclPath: `${ROOT}.stack/mosquitto/acl`,
  serviceAccounts: [ingestServiceAccount(svcUser)],
  mode: 'additive' as const,
  reload: reloadByPidFile(`${ROOT}.stack/mosquitto/mosquitto.pid`),
};
const pct = (xs: number[], p: number) =>
  xs.length === 0
    ? Number.NaN
    : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

// --- set-up: topics, fleet, registry, broker accounts, regulator, services -------------------
await admin.connect();
await ensureTopics(kafka, { prefix });
const co = (await loadScenarioDir()).find((s) => s.id === 'co-leak-ramp')!;
const { document: base } = await loadRegistryDir(fixturesRegistryDir);
const port = await freePort();
const fleet = buildE2eFleet(
  base,
  Array.from({ length: ENTERPRISES }, () => co),
  {
    suffix: id,
    webhookBaseUrl: `http://127.0.0.1:${port}`,
    webhookSecret: `whsec_bench_${id}_0123456789`,
  },
);
const deliveries: DeliveryRecordLine[] = [];
const regulator = new RegulatorServer({
  inbox: new DeliveryInbox({ subscriptions: fleet.document.subscriptions }),
  logger,
  onRecord: (r) => deliveries.push(r),
});
await regulator.listen([{ host: '127.0.0.1', port }]);
const producer = new TypedProducer(kafka, { prefix });
await producer.connect();
await publishRegistry(producer, fleet.document, { changedBy: 'bench' });
await producer.disconnect();
await syncBrokerAuthFiles(brokerTarget, fleet.document.gateways);
const run = `bench-${id}`;
const services = await startServices(
  [
    { name: 'store-writer', portVar: 'OPS_PORT', env: { CONSUMER_GROUP: `${run}-store` } },
    {
      name: 'rules-worker',
      portVar: 'OPS_PORT',
      env: { GROUP_ID: `${run}-rules`, CLIENT_ID: `${run}-rules` },
    },
    { name: 'alert-dispatcher', portVar: 'OPS_PORT', env: { KAFKA_GROUP_ID: `${run}-dispatch` } },
    {
      name: 'gateway-ingest',
      portVar: 'HTTP_PORT',
      env: { MQTT_CLIENT_ID: `${run}-ingest`, MQTT_SHARE_GROUP: `${run}-ingest`, MQTT_SESSION_EXPIRY: '2m' },
    },
  ],
  {
    KAFKA_BROKERS: brokers,
    TOPIC_PREFIX: prefix,
    QDB_TABLE_PREFIX: tablePrefix,
    QUEUE_PREFIX: prefix,
    QUESTDB_PG: questdbPg,
    QUESTDB_HTTP: env.QUESTDB_HTTP ?? 'http://127.0.0.1:9000',
    REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    MQTT_URL: mqttServiceUrl,
    MQTT_USERNAME: svcUser,
    MQTT_PASSWORD: svcPassword,
    ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true',
    LOG_LEVEL: 'warn',
  },
  `${ROOT}.run/bench-${id}`,
);
const driver = new LoadDriver(mqttUrl);
await driver.open(fleet.fleet.gateways, `yj-bench-${id}`);
const readingsTopic = topicName('readings', prefix);
const lags = async () => ({
  rules: await consumerLag(admin, `${run}-rules`, readingsTopic),
  store: await consumerLag(admin, `${run}-store`, readingsTopic),
});

try {
  // --- 1. rate steps -----------------------------------------------------------------------
  const steps: { rate: number; achieved: number; ingested: number; lagGrowth: number; sustained: boolean }[] =
    [];
  for (const rate of RATES) {
    const t0 = Date.now();
    const [pub0, end0] = [driver.readingsPublished, await topicEnd(admin, readingsTopic)];
    const msg0 = driver.published;
    await driver.run(rate, t0 + (STEP_S * 1000) / 2);
    const mid = await lags();
    await driver.run(rate, t0 + STEP_S * 1000);
    const end = await lags();
    const seconds = (Date.now() - t0) / 1000;
    const achieved = (driver.readingsPublished - pub0) / seconds;
    const ingestedShare =
      ((await topicEnd(admin, readingsTopic)) - end0) / Math.max(1, driver.published - msg0);
    const lagGrowth = Math.max(end.rules - mid.rules, end.store - mid.store);
    const sustained =
      achieved >= 0.95 * rate && ingestedShare >= 0.95 && lagGrowth <= 0.05 * (driver.published - msg0);
    steps.push({ rate, achieved, ingested: achieved * Math.min(1, ingestedShare), lagGrowth, sustained });
    console.log(
      `rate ${rate}/s: published ${fmt(achieved)}/s, ingested ${(ingestedShare * 100).toFixed(0)} %, lag growth ${lagGrowth} records → ${sustained ? 'sustained' : 'NOT sustained'}`,
    );
    if (!sustained) break;
  }
  const best = Math.max(0, ...steps.filter((s) => s.sustained).map((s) => s.rate));
  // Healthy values raise nothing: any alarm here is load-induced (e.g. no-data while a stage lags).
  const stepAlarms = new Map<string, number>();
  for (const d of deliveries.filter((x) => x.event === 'alarm.raised' && x.payload)) {
    const key = `${d.payload!.alarm.rule}/${d.payload!.alarm.kind}`;
    stepAlarms.set(key, (stepAlarms.get(key) ?? 0) + 1);
  }
  console.log(
    `alarm.raised deliveries during the rate steps: ${JSON.stringify(Object.fromEntries(stepAlarms))}`,
  );
  const deliveriesBeforeLatency = deliveries.length;

  // --- 3. alarm latency at half the best rate (background load + injected CO excursions) ----
  // First let the backlog of the last step drain (published messages acknowledged, both consumer
  // groups at the end), so latency is measured at that rate, not behind a queue left by a failed step.
  const drainStarted = Date.now();
  for (;;) {
    const l = await lags();
    if ((driver.inFlight === 0 && l.rules === 0 && l.store === 0) || Date.now() - drainStarted > 300_000)
      break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(
    `backlog drained in ${((Date.now() - drainStarted) / 1000).toFixed(0)} s before the latency phase`,
  );
  const coPoints = fleet.fleet.gateways.flatMap((g) => g.points.filter((p) => p.kind === 'co-concentration'));
  const injected = new Map<string, number>();
  const latencyRate = Math.max(500, best / 2);
  const until = Date.now() + LATENCY_S * 1000;
  const load = driver.run(latencyRate, until);
  for (let i = 0; Date.now() < until - 15_000; i++) {
    const p = coPoints[i % coPoints.length]!;
    injected.set(`${p.enterpriseId}:${p.code}`, driver.inject(p.enterpriseId, p.code, 300));
    await new Promise((r) => setTimeout(r, 500));
  }
  await load;
  await new Promise((r) => setTimeout(r, 15_000)); // deliveries of the last injections (bounded, reported below)
  const latencies = deliveries
    .slice(deliveriesBeforeLatency)
    .filter(
      (d) => d.outcome === 'accepted' && d.event === 'alarm.raised' && d.payload?.alarm.rule === 'co-limits',
    )
    .map((d) => d.receivedAt - d.payload!.alarm.eventTime);

  // --- 2. nothing lost: drain store-writer, then count -----------------------------------------
  const drainUntil = Date.now() + 600_000;
  while ((await lags()).store > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 2000));
  const stored = await countRows(query, `${tablePrefix}readings`);
  const lost = driver.readingsPublished - stored;

  // --- 4. raw transport baselines with an equal payload ------------------------------------------
  const g0 = fleet.fleet.gateways[0]!;
  const payload = JSON.stringify({
    v: 1,
    gatewayId: g0.gatewayId,
    seq: 1,
    sentAt: Date.now(),
    readings: g0.points.map((p) => ({ point: p.code, ts: Date.now(), v: 1.5 })),
  });
  const tmp = `${ROOT}.run/bench-${id}`;
  await mkdir(tmp, { recursive: true });
  const baselines: Baseline[] = [];
  const n = 5000;
  baselines.push(
    await mosquittoBaseline({
      host: '127.0.0.1',
      port: Number(new URL(mqttUrl).port),
      messages: n,
      payload,
      file: `${tmp}/mqtt.txt`,
      pub: {
        user: `${g0.enterpriseId}.${g0.gatewayId}`,
        password: devGatewayCredentials(g0.enterpriseId, g0.gatewayId).mqttPassword,
        topic: `yj/v1/${g0.enterpriseId}/${g0.gatewayId}/baseline`,
      },
      sub: { user: svcUser, password: svcPassword },
    }).catch((err) => ({
      path: `mosquitto baseline failed: ${(err as Error).message}`,
      messages: 0,
      seconds: Number.NaN,
    })),
  );
  await admin.createTopics({ topics: [{ topic: `${prefix}kcat`, numPartitions: 1, replicationFactor: 1 }] });
  baselines.push(
    ...(await kcatBaseline({
      brokers,
      topic: `${prefix}kcat`,
      payload,
      messages: n,
      file: `${tmp}/kcat.txt`,
    }).catch((err) => [
      { path: `kcat baseline failed: ${(err as Error).message}`, messages: 0, seconds: Number.NaN },
    ])),
  );

  // --- report ---------------------------------------------------------------------------------------
  const perMsg = g0.points.length;
  const rows = [
    '| measure | value |',
    '|---|---:|',
    `| highest rate sustained ${STEP_S} s without growing lag (readings/s) | ${fmt(best)} |`,
    ...steps.map(
      (s) =>
        `| step ${fmt(s.rate)}/s: published / ingested (readings/s), lag growth (records) | ${fmt(s.achieved)} / ${fmt(s.ingested)}, ${s.lagGrowth}${s.sustained ? '' : ' — not sustained'} |`,
    ),
    `| readings published / stored in QuestDB / lost | ${fmt(driver.readingsPublished)} / ${fmt(stored)} / ${fmt(lost)} |`,
    `| alarm latency sensor ts → webhook, p50 / p95 / p99 (ms) at ${fmt(latencyRate)} readings/s | ${fmt(pct(latencies, 50))} / ${fmt(pct(latencies, 95))} / ${fmt(pct(latencies, 99))} (${latencies.length} of ${injected.size} alarms) |`,
    ...baselines.map(
      (b) =>
        `| baseline ${b.path}: readings/s (${perMsg}-reading messages) | ${fmt((b.messages * perMsg) / b.seconds)} |`,
    ),
    ...baselines
      .filter((b) => b.messages > 0)
      .map(
        (b) =>
          `| pipeline / ${b.path} | ${best > 0 ? ((best / ((b.messages * perMsg) / b.seconds)) * 100).toFixed(1) : '–'} % |`,
      ),
  ].join('\n');
  const machine = `Machine: ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; Kafka, QuestDB, Redis, Mosquitto and every service on the same machine (shared with other work). ${fleet.fleet.gateways.length} gateways of ${ENTERPRISES} steel enterprises, ${fmt(driver.readingsPerMessage)} readings per message, steps of ${STEP_S} s; rates tried: ${RATES.map(fmt).join(', ')}${steps.every((x) => x.sustained) ? ' (all sustained: the ceiling lies above the last one and was not measured)' : ''}.`;
  console.log(`\n## Pipeline\n\n${machine}\n\n${rows}\n`);
  const section = `## Pipeline\n\nRun: \`make bench\` (or \`source deploy/local/env.sh && pnpm exec tsx bench/pipeline.bench.ts\`; env BENCH_RATES, BENCH_STEP_S, BENCH_LATENCY_S, BENCH_ENTERPRISES).\nTargets: ≥ 100,000 readings/s sustained, 0 lost, p99 alarm latency ≤ 1 s at 50,000 readings/s.\n\n${machine}\n\n${rows}\n`;
  let readme = await readFile(README, 'utf8').catch(() => '# Benchmarks\n');
  const re = /## Pipeline\n[\s\S]*?(?=\n## |$)/;
  readme = re.test(readme) ? readme.replace(re, section) : `${readme.trimEnd()}\n\n${section}`;
  await writeFile(README, readme);
} finally {
  await driver.close();
  await stopServices(services);
  await regulator.close();
  await syncBrokerAuthFiles(brokerTarget, [], {
    remove: fleet.document.gateways.map((g) => `${g.enterpriseId}.${g.id}`),
  }).catch(() => undefined);
  const tables = await query.query<{ table_name: string }>('SELECT table_name FROM tables()').catch(() => []);
  for (const t of tables.filter((t) => t.table_name.startsWith(tablePrefix)))
    await query.query(`DROP TABLE IF EXISTS ${t.table_name}`).catch(() => undefined);
  await query.pool.end();
  await deleteTopicsWithPrefix(kafka, prefix).catch(() => undefined);
  await admin.disconnect();
  await rm(`${ROOT}.run/bench-${id}/mqtt.txt`, { force: true });
  await rm(`${ROOT}.run/bench-${id}/kcat.txt`, { force: true });
}
