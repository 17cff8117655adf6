/**
 * Whole-pipeline benchmark: simulated gateways over MQTT → gateway-ingest → Kafka → rules-worker
 * → alert-dispatcher → signed webhook, and store-writer → QuestDB, every service a real process
 * on this machine (isolated topics, tables, queues, groups, renamed fleet, as in test/e2e).
 *   1. rates in BENCH_RATES (readings/s) for BENCH_STEP_S each; a rate is sustained when the
 *      driver kept it, ingest kept up, and neither rules-worker nor store-writer lag grew;
 *   2. readings lost = published − rows in QuestDB after draining (must be 0);
 *   3. alarms: CO excursions injected under background load at half the best sustained rate and
 *      at it; after a bounded drain every injection is accounted for (raised on yj.alarms.v1?
 *      delivered to each subscription in scope? when?), a missing one fails the run with its id;
 *      latency sensor timestamp → webhook receipt, and each hop's p50/p99 from the services'
 *      yujing_alarm_path_seconds histograms;
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
import { AlarmTransitionEvent } from '@yujing/schemas';
import { ALARM_PATH_HOPS } from '@yujing/service-runtime';
import { TopicCollector } from '@yujing/testkit';
import {
  type AlarmAccount,
  accountInjections,
  describeMissing,
  type Injection,
} from '../test/e2e/support/alarm-accounting';
import { buildE2eFleet } from '../test/e2e/support/e2e-fleet';
import { freePort, startServices, stopServices } from '../test/e2e/support/service-processes';
import { consumerLag, topicEnd } from './pipeline/consumer-lag';
import { type HopBuckets, hopCount, hopDelta, hopQuantile, scrapeHops } from './pipeline/hop-metrics';
import { LoadDriver } from './pipeline/load-driver';
import { type Baseline, kcatBaseline, mosquittoBaseline } from './pipeline/transport-baselines';

const env = process.env;
const STEP_S = Number(env.BENCH_STEP_S ?? 60);
const LATENCY_S = Number(env.BENCH_LATENCY_S ?? 60);
const RATES = (env.BENCH_RATES ?? '2000,5000,10000,20000,50000,100000').split(',').map(Number);
const ENTERPRISES = Number(env.BENCH_ENTERPRISES ?? 4);
/** Longest wait after a latency phase for its injections' raises and deliveries. */
const DRAIN_S = Number(env.BENCH_DRAIN_S ?? 30);
const INJECT_EVERY_MS = 500;
/** CHATTER_WINDOW_MS (60 s) + co-limits offDelayMs (10 s) + margin: a re-injected point raises again. */
const REINJECT_AFTER_MS = 75_000;
/** Latency phases: half the best sustained rate and the best rate (BENCH_LATENCY_RATES=half,full). */
const latencyRates = (best: number): [string, number][] =>
  (env.BENCH_LATENCY_RATES ?? 'half,full')
    .split(',')
    .map((w): [string, number] => [w, w === 'full' ? Math.max(500, best) : Math.max(500, best / 2)]);
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
const HOP_ORDER = Object.keys(ALARM_PATH_HOPS);
const fmtMs = (seconds: number) => (Number.isFinite(seconds) ? (seconds * 1000).toFixed(1) : '–');
interface LatencyPhase {
  label: string;
  rate: number;
  account: AlarmAccount;
  hops: HopBuckets;
  skipped: number;
  /** gateway-ingest messages held back for seq order: released in order / hold expired. */
  resequenced: { inOrder: number; gaveUp: number };
  /** Per service: cores used during the phase, event-loop lag p99 and max (ms) since the phase began. */
  load: { name: string; cores: number; lagP99Ms: number; lagMaxMs: number }[];
}
/** A counter's value summed over its label sets (0 when the service does not answer). */
async function scrapeCounter(url: string, name: string): Promise<number> {
  const text = await fetch(url)
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(' ').at(-1));
  return total;
}

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
    // NODE_ENV=test: the regulator simulator listens on plain http (https-only in production)
    {
      name: 'alert-dispatcher',
      portVar: 'OPS_PORT',
      env: { KAFKA_GROUP_ID: `${run}-dispatch`, NODE_ENV: 'test' },
    },
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
const metricsUrls = services.map((s) => `http://127.0.0.1:${s.port}/metrics`);
const rulesMetricsUrl = `http://127.0.0.1:${services.find((s) => s.name === 'rules-worker')!.port}/metrics`;
let alarmCollector: TopicCollector | undefined;
const ingestMetricsUrl = `http://127.0.0.1:${services.find((s) => s.name === 'gateway-ingest')!.port}/metrics`;
const scrapeResequenced = async () => {
  const text = await fetch(ingestMetricsUrl)
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  const sum = (outcome: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith('yujing_ingest_resequenced_total{') && l.includes(`outcome="${outcome}"`))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  return { inOrder: sum('in-order'), gaveUp: sum('gave-up') };
};
const alarmsSeen = () =>
  (alarmCollector?.json<unknown>() ?? []).flatMap((v) => {
    const r = AlarmTransitionEvent.safeParse(v);
    return r.success ? [r.data] : [];
  });
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

  // --- 3. every alarm accounted for, and its latency, at half the best rate and at the best rate --
  // First let the backlog of the last step drain (published messages acknowledged by the broker,
  // every one of them on yj.readings.v1 — a failed step leaves thousands queued in Mosquitto for
  // ingest's sessions — and both consumer groups at the end), so latency is measured at that rate,
  // not behind a queue left by a failed step.
  const drainStarted = Date.now();
  for (;;) {
    const l = await lags();
    const inKafka = await topicEnd(admin, readingsTopic);
    const drained = driver.inFlight === 0 && inKafka >= driver.published && l.rules === 0 && l.store === 0;
    if (drained || Date.now() - drainStarted > 300_000) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(
    `backlog drained in ${((Date.now() - drainStarted) / 1000).toFixed(0)} s before the latency phase`,
  );
  alarmCollector = await new TopicCollector(kafka, topicName('alarms', prefix), `${run}-alarms`).start();
  const coPoints = fleet.fleet.gateways.flatMap((g) => g.points.filter((p) => p.kind === 'co-concentration'));
  const injections: Injection[] = [];
  /** A point is injected again only after chatter window + off-delay, so each injection must raise. */
  const lastInjected = new Map<string, number>();
  let nextPoint = 0;
  const phases: LatencyPhase[] = [];
  for (const [label, rate] of latencyRates(best)) {
    const hops0 = await scrapeHops(metricsUrls);
    const phaseStarted = Date.now();
    const cpu0 = await Promise.all(
      metricsUrls.map((u) => scrapeCounter(u, 'yujing_process_cpu_seconds_total')),
    );
    const skipped0 = await scrapeCounter(rulesMetricsUrl, 'yujing_rules_readings_skipped_total');
    const held0 = await scrapeResequenced();
    const first = injections.length;
    const until = Date.now() + LATENCY_S * 1000;
    const load = driver.run(rate, until);
    while (Date.now() < until - 10_000) {
      for (let tries = 0; tries < coPoints.length; tries++) {
        const p = coPoints[nextPoint++ % coPoints.length]!;
        const key = `${p.enterpriseId}:${p.code}`;
        if (Date.now() - (lastInjected.get(key) ?? 0) < REINJECT_AFTER_MS) continue;
        lastInjected.set(key, Date.now());
        const ts = driver.inject(p.enterpriseId, p.code, 300);
        injections.push({
          id: `inj-${injections.length + 1}`,
          enterpriseId: p.enterpriseId,
          point: p.code,
          ts,
          value: 300,
        });
        break;
      }
      await new Promise((r) => setTimeout(r, INJECT_EVERY_MS));
    }
    await load;
    // Bounded drain: wait until every injection of the phase is raised and delivered, or give up.
    const mine = injections.slice(first);
    const drainUntil = Date.now() + DRAIN_S * 1000;
    let account = accountInjections(mine, alarmsSeen(), deliveries, fleet.document, 'co-limits');
    while (account.notRaised.length + account.notDelivered.length > 0 && Date.now() < drainUntil) {
      await new Promise((r) => setTimeout(r, 500));
      account = accountInjections(mine, alarmsSeen(), deliveries, fleet.document, 'co-limits');
    }
    const hops = hopDelta(hops0, await scrapeHops(metricsUrls));
    const skipped = (await scrapeCounter(rulesMetricsUrl, 'yujing_rules_readings_skipped_total')) - skipped0;
    const held1 = await scrapeResequenced();
    const resequenced = { inOrder: held1.inOrder - held0.inOrder, gaveUp: held1.gaveUp - held0.gaveUp };
    const seconds = (Date.now() - phaseStarted) / 1000;
    const serviceLoad = await Promise.all(
      services.map(async (svc, i) => ({
        name: svc.name,
        cores:
          ((await scrapeCounter(metricsUrls[i]!, 'yujing_process_cpu_seconds_total')) - cpu0[i]!) / seconds,
        // prom-client resets the event-loop delay monitor at each scrape: this is the phase's
        lagP99Ms: (await scrapeCounter(metricsUrls[i]!, 'yujing_nodejs_eventloop_lag_p99_seconds')) * 1000,
        lagMaxMs: (await scrapeCounter(metricsUrls[i]!, 'yujing_nodejs_eventloop_lag_max_seconds')) * 1000,
      })),
    );
    phases.push({ label, rate, account, hops, skipped, resequenced, load: serviceLoad });
    const missing = describeMissing(account);
    console.log(
      `latency phase at ${fmt(rate)} readings/s (${label}): ${mine.length} injections, ${mine.length - account.notRaised.length} raised, ${account.latenciesMs.length} of ${account.mustDeliver} deliveries, ${missing.length} missing; readings skipped by the rules-worker: ${skipped}`,
    );
    for (const line of missing) console.log(`  MISSING ${line}`);
  }
  await alarmCollector.stop();
  alarmCollector = undefined;

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
    ...phases.flatMap((ph) => {
      const a = ph.account;
      const lat = a.latenciesMs;
      const missing = a.notRaised.length + a.notDelivered.length;
      return [
        `| alarms at ${fmt(ph.rate)} readings/s (${ph.label}): injected / raised / delivered of due / missing | ${a.mustRaise} / ${a.mustRaise - a.notRaised.length} / ${lat.length} of ${a.mustDeliver} / ${missing}${
          missing > 0
            ? ` (${describeMissing(a)
                .map((l) => l.split(' ')[0])
                .join(', ')})`
            : ''
        } |`,
        `| alarm latency sensor ts → webhook, p50 / p95 / p99 / max (ms) at ${fmt(ph.rate)} readings/s | ${fmt(pct(lat, 50))} / ${fmt(pct(lat, 95))} / ${fmt(pct(lat, 99))} / ${fmt(Math.max(...lat))} |`,
        `| readings the rules-worker skipped (out-of-order, unknown point, invalid); ingest messages held for seq order, in order / hold expired, at ${fmt(ph.rate)} readings/s | ${fmt(ph.skipped)}; ${fmt(ph.resequenced.inOrder)} / ${fmt(ph.resequenced.gaveUp)} |`,
        `| CPU cores · event-loop lag p99 / max (ms) per service at ${fmt(ph.rate)} readings/s | ${ph.load.map((l) => `${l.name} ${l.cores.toFixed(2)} · ${fmt(l.lagP99Ms)} / ${fmt(l.lagMaxMs)}`).join('; ')} |`,
        ...[...ph.hops]
          .filter(([, b]) => hopCount(b) > 0)
          .sort(([x], [y]) => HOP_ORDER.indexOf(x) - HOP_ORDER.indexOf(y))
          .map(
            ([hop, b]) =>
              `| hop ${hop}, p50 / p99 (ms, from the histogram) at ${fmt(ph.rate)} readings/s | ${fmtMs(hopQuantile(b, 0.5))} / ${fmtMs(hopQuantile(b, 0.99))} (${fmt(hopCount(b))} observed) |`,
          ),
      ];
    }),
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
  const machine = `Machine: ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; Kafka, QuestDB, Redis, Mosquitto and every service on the same machine (shared with other work; 1-min load average ${os.loadavg()[0]!.toFixed(1)} at the end). ${fleet.fleet.gateways.length} gateways of ${ENTERPRISES} steel enterprises, ${fmt(driver.readingsPerMessage)} readings per message, steps of ${STEP_S} s; rates tried: ${RATES.map(fmt).join(', ')}${steps.every((x) => x.sustained) ? ' (all sustained: the ceiling lies above the last one and was not measured)' : ''}.`;
  console.log(`\n## Pipeline\n\n${machine}\n\n${rows}\n`);
  const section = `## Pipeline\n\nRun: \`make bench\` (or \`source deploy/local/env.sh && pnpm exec tsx bench/pipeline.bench.ts\`; env BENCH_RATES, BENCH_STEP_S, BENCH_LATENCY_S, BENCH_LATENCY_RATES, BENCH_DRAIN_S, BENCH_ENTERPRISES; \`--print\` leaves this file alone). A missing alarm fails the run with its injection id.\nTargets: ≥ 100,000 readings/s sustained, 0 lost; every injected excursion raised and delivered to every subscription in scope, at half the sustained rate and at it; p99 sensor → webhook ≤ 250 ms at half the sustained rate and ≤ 1 s at it. Hop figures are \`yujing_alarm_path_seconds\` (docs/observability.md), interpolated inside its buckets.\n\n${machine}\n\n${rows}\n`;
  if (!process.argv.includes('--print')) {
    let readme = await readFile(README, 'utf8').catch(() => '# Benchmarks\n');
    const re = /## Pipeline\n[\s\S]*?(?=\n## |$)/;
    readme = re.test(readme) ? readme.replace(re, section) : `${readme.trimEnd()}\n\n${section}`;
    await writeFile(README, readme);
  }
  const missing = phases.flatMap((ph) => describeMissing(ph.account));
  if (missing.length > 0) {
    console.error(`FAILED: ${missing.length} injected alarm(s) not raised or not delivered:`);
    for (const line of missing) console.error(`  ${line}`);
    process.exitCode = 1;
  }
} finally {
  await alarmCollector?.stop().catch(() => undefined);
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
