import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrokerAuthTarget,
  gatewayUsername,
  ingestServiceAccount,
  reloadByPidFile,
  syncBrokerAuthFiles,
} from '@yujing/broker-auth';
import { TypedProducer, topicName } from '@yujing/kafka';
import { publishRegistry } from '@yujing/registry';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  serviceEnv,
  type TestTopics,
  waitFor,
} from '@yujing/testkit';
import fc from 'fast-check';
import type { Producer } from 'kafkajs';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningService, startServices, stopServices } from '../e2e/support/service-processes';
import {
  type FuzzCase,
  fuzzCase,
  type RenderContext,
  TRANSPORTS,
  type Transport,
} from './support/bad-input-cases';
import { DeadLetterIndex } from './support/dead-letter-index';
import { type FuzzFleet, fuzzFleet } from './support/fuzz-registry';
import { type Outcome, outcomeTable } from './support/outcome-table';

/**
 * Bad-input fuzzing (issue #14): FUZZ_MESSAGES generated messages (fast-check, seed FUZZ_SEED),
 * about a third valid, spread over MQTT (QoS 1 to yujing's Mosquitto as a gateway), HTTP
 * (POST /ingest/v1/telemetry with a gateway token) and Kafka (yj.telemetry.inbound.v1), into the
 * real gateway-ingest, kafka-ingest and store-writer processes. Afterwards: every process up with
 * /healthz ok, every invalid message answered 4xx (HTTP, with issue paths) and dead-lettered with a
 * reason the case allows (matched by the id in its marker), every valid reading in QuestDB (its
 * sensor time encodes the message id), nothing stored of an invalid one, no 5xx.
 * `make fuzz` runs 100,000; make test runs the default (CI) count.
 */
const COUNT = Number(process.env.FUZZ_MESSAGES ?? 5_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const RUN = randomBytes(3).toString('hex');
/** Sensor time of reading k of message id: BASE + id·4 + k (valid messages have at most 3 readings). */
const TS_STRIDE = 4;
const BASE_MS = Date.now() - 3 * 3_600_000;
const SENT_AT_BASE_MS = Date.now() - 3_600_000;
const WINDOW = { mqtt: 64, http: 16, kafkaBatch: 200, kafkaBytes: 512 * 1024 } as const;

let topics: TestTopics;
let tables: ReturnType<typeof createQuestDbTablePrefix>;
let fleet: FuzzFleet;
let services: RunningService[] = [];
let letters: DeadLetterIndex;
let gatewayClient: MqttClient | undefined;
let producer: Producer | undefined;
let db: pg.Client | undefined;
let brokerTarget: BrokerAuthTarget;
let ingestPort = 0;

const stackDir = process.env.YJ_STACK_DIR ?? `${REPO_ROOT}/.stack`;

beforeAll(async () => {
  const env = serviceEnv();
  fleet = fuzzFleet();
  topics = await createTestTopics({ partitions: 2, label: 'fuzz' });
  tables = createQuestDbTablePrefix('fuzz');
  const registryProducer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await registryProducer.connect();
  await publishRegistry(registryProducer, fleet.document, { changedBy: 'fuzz' });
  await registryProducer.disconnect();
  brokerTarget = {
    passwdPath: `${stackDir}/mosquitto/passwd`,
    aclPath: `${stackDir}/mosquitto/acl`,
    serviceAccounts: [ingestServiceAccount(env.mqttServiceUser)],
    mode: 'additive',
    reload: reloadByPidFile(`${stackDir}/mosquitto/mosquitto.pid`),
  };
  await syncBrokerAuthFiles(brokerTarget, fleet.document.gateways);
  letters = await new DeadLetterIndex(
    topics.kafka,
    topicName('deadLetter', topics.prefix),
    RUN,
    `fuzz-${RUN}-letters`,
  ).start();

  const run = `fuzz-${RUN}`;
  ingestPort = await freePort();
  services = await startServices(
    [
      { name: 'store-writer', portVar: 'OPS_PORT', env: { CONSUMER_GROUP: `${run}-store` } },
      { name: 'kafka-ingest', portVar: 'OPS_PORT', env: { GROUP_ID: `${run}-kafka-ingest` } },
      {
        name: 'gateway-ingest',
        portVar: 'HTTP_PORT',
        port: ingestPort,
        env: {
          MQTT_CLIENT_ID: `${run}-ingest`,
          MQTT_SHARE_GROUP: `${run}-ingest`,
          MQTT_SESSION_EXPIRY: '2m',
          // only this run's enterprises: never take another test's messages off the shared broker
          MQTT_ENTERPRISES: `${fleet.enterpriseId},${fleet.foreignEnterpriseId}`,
          MQTT_CONNECTIONS: '16',
        },
      },
    ],
    {
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      TOPIC_PREFIX: topics.prefix,
      QDB_TABLE_PREFIX: tables.prefix,
      QUESTDB_PG: env.questdbPg,
      QUESTDB_HTTP: env.questdbHttp,
      MQTT_URL: env.mqttServiceUrl,
      MQTT_USERNAME: env.mqttServiceUser,
      MQTT_PASSWORD: env.mqttServicePassword,
      LOG_LEVEL: 'warn',
    },
    `${REPO_ROOT}/.run/fuzz-${RUN}`,
  );

  const g = fleet.senders.mqtt;
  gatewayClient = await waitFor(
    () =>
      mqtt.connectAsync(env.mqttUrl, {
        protocolVersion: 5,
        clientId: gatewayUsername(g.enterpriseId, g.gatewayId),
        username: gatewayUsername(g.enterpriseId, g.gatewayId),
        password: g.mqttPassword,
        reconnectPeriod: 1000,
        connectTimeout: 5000,
      }),
    { timeoutMs: 20_000, intervalMs: 300, message: 'the fuzz gateway connects (broker reloaded)' },
  );
  producer = topics.kafka.producer();
  await producer.connect();
  db = new pg.Client({ connectionString: env.questdbPg });
  await db.connect();
}, 240_000);

afterAll(async () => {
  await gatewayClient?.endAsync(true).catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await stopServices(services);
  await letters?.stop().catch(() => undefined);
  await db?.end().catch(() => undefined);
  if (fleet) {
    await syncBrokerAuthFiles(brokerTarget, [], {
      remove: fleet.gateways.map((g) => gatewayUsername(g.enterpriseId, g.gatewayId)),
    }).catch(() => undefined);
  }
  await tables?.cleanup().catch(() => undefined);
  await topics?.cleanup();
}, 120_000);

interface Sent {
  id: number;
  transport: Transport;
  c: FuzzCase;
  outcome: Outcome;
}

/** Runs `work` over `items` with at most `width` at once, in order of start. */
async function inWindow<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function contextFor(id: number, transport: Transport, seq: number): RenderContext {
  const sender = fleet.senders[transport];
  return {
    marker: `FZ${RUN}x${id}Z`,
    seq,
    // unique per message: (seq, sentAt) is a message's replay identity
    sentAt: SENT_AT_BASE_MS + id,
    ts: (k) => BASE_MS + id * TS_STRIDE + k,
    enterpriseId: fleet.enterpriseId,
    gatewayId: sender.gatewayId,
    foreignEnterpriseId: fleet.foreignEnterpriseId,
    siblingGatewayId: fleet.sibling.gatewayId,
    foreignGatewayId: fleet.foreign.gatewayId,
    foreignPoint: fleet.foreignPoint,
    now: Date.now(),
  };
}

/** Per sending gateway: the next seq for a message whose seq the service reads, else the last one again. */
function seqCounter() {
  let last = 0;
  return (c: FuzzCase) => (c.takesSeq ? ++last : Math.max(last, 1));
}

async function sendMqtt(items: Sent[]): Promise<void> {
  const g = fleet.senders.mqtt;
  const topic = (channel = 'telemetry') => `yj/v1/${g.enterpriseId}/${g.gatewayId}/${channel}`;
  const seq = seqCounter();
  await inWindow(items, WINDOW.mqtt, async (s) => {
    const body = s.c.render(contextFor(s.id, 'mqtt', seq(s.c)));
    try {
      await gatewayClient!.publishAsync(topic(s.c.tweak?.mqttChannel), body, { qos: 1 });
      s.outcome.acked = true;
    } catch (err) {
      s.outcome.error = `publish: ${(err as Error).message}`;
    }
  });
}

async function sendHttp(items: Sent[]): Promise<void> {
  const seq = seqCounter();
  await inWindow(items, WINDOW.http, async (s) => {
    const t = s.c.tweak ?? {};
    const body = s.c.render(contextFor(s.id, 'http', seq(s.c)));
    const token = t.foreignToken ? fleet.foreign.httpToken : fleet.senders.http.httpToken;
    const headers: Record<string, string> = { 'content-type': t.contentType ?? 'application/json' };
    if (t.authorization === undefined) headers.authorization = `Bearer ${token}`;
    else if (t.authorization !== null) headers.authorization = t.authorization;
    if (t.claimForeignEnterpriseHeader) headers['x-yujing-enterprise'] = fleet.foreignEnterpriseId;
    try {
      const res = await fetch(`http://127.0.0.1:${ingestPort}/ingest/v1/telemetry`, {
        method: 'POST',
        headers,
        body: new Uint8Array(body),
      });
      s.outcome.status = res.status;
      const text = await res.text();
      try {
        s.outcome.problem = JSON.parse(text);
      } catch {
        s.outcome.problem = { text: text.slice(0, 200) };
      }
      s.outcome.acked = res.status === 202;
    } catch (err) {
      s.outcome.error = `fetch: ${(err as Error).message}`;
    }
  });
}

async function sendKafka(items: Sent[]): Promise<void> {
  const topic = topicName('telemetryInbound', topics.prefix);
  const seq = seqCounter();
  let batch: Sent[] = [];
  let messages: { key: string | null; value: Buffer; headers: Record<string, string> }[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      await producer!.send({ topic, messages, acks: -1 });
      for (const s of batch) s.outcome.acked = true;
    } catch (err) {
      for (const s of batch) s.outcome.error = `produce: ${(err as Error).message}`;
    }
    batch = [];
    messages = [];
    bytes = 0;
  };
  for (const s of items) {
    const t = s.c.tweak ?? {};
    const headers: Record<string, string> = {};
    const enterprise = t.kafkaEnterprise === undefined ? fleet.enterpriseId : t.kafkaEnterprise;
    if (enterprise !== null && !t.kafkaKeyOnly) headers['yj-enterprise-id'] = enterprise;
    if (t.kafkaFormat) headers['yj-format'] = t.kafkaFormat;
    const key = t.kafkaKeyOnly ? fleet.enterpriseId : null;
    const value = s.c.render(contextFor(s.id, 'kafka', seq(s.c)));
    // a produce request stays under the broker's 1 MiB (an oversize message goes alone)
    if (bytes + value.length > WINDOW.kafkaBytes) await flush();
    batch.push(s);
    messages.push({ key, value, headers });
    bytes += value.length;
    if (batch.length >= WINDOW.kafkaBatch) await flush();
  }
  await flush();
}

/** Stored readings per message id, from the sensor times of this run's enterprise. */
async function storedById(): Promise<Map<number, number>> {
  const rows = await db!
    .query(`SELECT ts FROM ${tables.prefix}readings WHERE enterprise = $1`, [fleet.enterpriseId])
    .catch((err: Error) => {
      if (/does not exist/.test(err.message)) return { rows: [] };
      throw err;
    });
  const byId = new Map<number, number>();
  for (const r of rows.rows as { ts: Date }[]) {
    const id = Math.floor((r.ts.getTime() - BASE_MS) / TS_STRIDE);
    byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  return byId;
}

async function storedCount(): Promise<number> {
  const res = await db!
    .query(`SELECT count() AS n FROM ${tables.prefix}readings WHERE enterprise = $1`, [fleet.enterpriseId])
    .catch(() => ({ rows: [{ n: 0 }] }));
  return Number(res.rows[0]?.n ?? 0);
}

/** Reasons whose answers name no issue path (nothing inside the body to point at). */
const NO_PATH_REASONS = new Set(['invalid-json', 'unknown-enterprise', 'oversize', 'unsupported-format']);

describe(`bad-input fuzzing (${COUNT} messages, seed ${SEED})`, () => {
  it(
    'no crash, every invalid message refused or dead-lettered with a reason, every valid reading stored',
    async () => {
      const perTransport = Math.ceil(COUNT / TRANSPORTS.length);
      const sent: Sent[] = [];
      const byTransport: Record<Transport, Sent[]> = { mqtt: [], http: [], kafka: [] };
      TRANSPORTS.forEach((transport, t) => {
        const cases = fc.sample(fuzzCase(transport), { numRuns: perTransport, seed: SEED + t });
        cases.forEach((c, i) => {
          const id = i * TRANSPORTS.length + t + 1; // interleaved ids
          if (id > COUNT) return;
          const s: Sent = { id, transport, c, outcome: {} };
          sent.push(s);
          byTransport[transport].push(s);
        });
      });
      const startedAt = Date.now();
      await Promise.all([
        sendMqtt(byTransport.mqtt),
        sendHttp(byTransport.http),
        sendKafka(byTransport.kafka),
      ]);
      const sentMs = Date.now() - startedAt;

      const wantLetters = sent.filter(
        (s) => !s.c.valid && !s.c.refusedUnread && !s.c.markerless && !s.outcome.error,
      );
      const markerless = sent.filter((s) => s.c.markerless).length;
      const emptyHttpLetters = () => letters.unmatched.filter((u) => u === 'http:invalid-json:0').length;
      const wantReadings = sent.reduce((n, s) => n + (s.c.valid ? s.c.readings : 0), 0);
      const settle = { timeoutMs: 120_000 + COUNT, intervalMs: 1_000 };
      await waitFor(
        () => wantLetters.every((s) => letters.byId.has(s.id)) && emptyHttpLetters() >= markerless,
        {
          ...settle,
          message: `dead letters: ${wantLetters.filter((s) => !letters.byId.has(s.id)).length} of ${wantLetters.length} invalid messages still have none`,
        },
      ).catch(() => undefined); // reported per message below
      await waitFor(async () => (await storedCount()) >= wantReadings, settle).catch(() => undefined);
      const stored = await storedById();

      const crashes: string[] = [];
      for (const s of services) {
        if (s.child.exitCode !== null || s.child.signalCode !== null)
          crashes.push(`${s.name} exited (${s.child.exitCode ?? s.child.signalCode})`);
        else {
          const res = await fetch(`http://127.0.0.1:${s.port}/healthz`).catch(() => undefined);
          if (!res?.ok) crashes.push(`${s.name} /healthz ${res?.status ?? 'unreachable'}`);
        }
      }

      const failures: string[] = [];
      for (const s of sent) {
        const o = s.outcome;
        const letter = letters.byId.get(s.id);
        o.letters = letter?.reasons ?? [];
        o.stored = stored.get(s.id) ?? 0;
        const why = (what: string) =>
          failures.push(`#${s.id} ${s.transport} ${s.c.cls} [${s.c.variant}]: ${what}`);
        if (o.error) why(o.error);
        if (o.status !== undefined && o.status >= 500) why(`HTTP ${o.status} ${JSON.stringify(o.problem)}`);
        if (s.c.valid) {
          if (s.transport === 'http' && o.status !== 202)
            why(`HTTP ${o.status} ${JSON.stringify(o.problem)}`);
          if (o.stored !== s.c.readings) why(`${o.stored} of ${s.c.readings} readings stored`);
          if (letter) why(`dead-lettered ${letter.reasons.join(', ')}`);
          continue;
        }
        if (o.stored > 0) why(`${o.stored} readings of an invalid message stored`);
        if (s.transport === 'http') {
          const p = o.problem as { reason?: string; issues?: { path?: unknown }[] } | undefined;
          if (o.status === undefined || o.status < 400 || o.status >= 500)
            why(`HTTP ${o.status} ${JSON.stringify(p).slice(0, 300)}`);
          else if (s.c.httpStatus !== undefined && o.status !== s.c.httpStatus)
            why(`HTTP ${o.status} (want ${s.c.httpStatus}) ${JSON.stringify(p).slice(0, 300)}`);
          else if (s.c.reasons.length === 0) {
            // refused before reading: no reason to name
          } else if (!p?.reason || !s.c.reasons.includes(p.reason))
            why(`HTTP ${o.status} reason ${p?.reason} (want ${s.c.reasons.join('|')})`);
          else if (
            !NO_PATH_REASONS.has(p.reason) &&
            !(p.issues?.length && p.issues.every((i) => typeof i.path === 'string'))
          )
            why(`HTTP ${o.status} ${p.reason} without issue paths`);
        }
        if (s.c.markerless) continue; // counted below
        if (s.c.refusedUnread) {
          if (letter) why(`refused unread, yet dead-lettered ${letter.reasons.join(', ')}`);
          continue;
        }
        if (!letter) why('no dead letter');
        else if (!letter.reasons.some((r) => s.c.reasons.includes(r)))
          why(`dead-lettered ${letter.reasons.join(', ')} (want ${s.c.reasons.join('|')})`);
      }

      const table = outcomeTable(
        sent.map((s) => ({
          transport: s.transport,
          cls: s.c.cls,
          valid: s.c.valid,
          refusedUnread: s.c.refusedUnread,
          outcome: s.outcome,
        })),
      );
      const report = [
        `Bad-input fuzzing: ${sent.length} messages, seed ${SEED}, sent in ${(sentMs / 1000).toFixed(1)} s`,
        '',
        table,
        '',
        `crashes: ${crashes.length === 0 ? 0 : crashes.join('; ')}`,
        `dead letters without a fuzz id: ${letters.unmatched.length} ${[...new Set(letters.unmatched)].join(', ')} (${markerless} empty HTTP bodies sent)`,
        `failures: ${failures.length}`,
        ...failures.slice(0, 40),
      ].join('\n');
      await mkdir(`${REPO_ROOT}/.run/fuzz`, { recursive: true });
      await writeFile(`${REPO_ROOT}/.run/fuzz/outcome-${RUN}.md`, `${report}\n`);
      console.log(report);

      // the only dead letters without a marker are the empty HTTP bodies', one each
      expect({ unmatched: letters.unmatched.length, samples: letters.unmatchedSamples }).toEqual({
        unmatched: markerless,
        samples: letters.unmatchedSamples.filter((l) => (l as { source: string; raw: string }).raw === ''),
      });
      expect(emptyHttpLetters()).toBe(markerless);
      expect(crashes).toEqual([]);
      expect(failures.slice(0, 40)).toEqual([]);
      expect(letters.invalid).toBe(0);
    },
    Math.max(240_000, 300_000 + COUNT * 15),
  );
});
