import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { gatewayUsername, syncBrokerAuthFiles } from '@yujing/broker-auth';
import { TypedProducer, topicName } from '@yujing/kafka';
import { publishRegistry, RegistryStore } from '@yujing/registry';
import type { ReadingBatch } from '@yujing/schemas';
import {
  createTestTopics,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  uniqueId,
  waitFor,
} from '@yujing/testkit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { repoRoot, testBrokerTarget } from './ingest-test-broker';
import { testRegistry, uniqueEnterpriseId } from './ingest-test-registry';

// Issue #14 hole 3, end to end: Kafka down longer than the MQTT keepalive, so the ingest
// connection whose message waits for Kafka misses PINGRESP, reconnects, and the broker redelivers
// that message. The redelivered copy used to be PUBACKed as a duplicate of the pending first copy;
// a SIGTERM during the outage then abandoned the first copy, and the message was gone. Here:
// every message the broker PUBACKed to the gateway must be on yj.readings.v1 once Kafka is back
// and gateway-ingest runs again. Stops and starts the stack's Kafka (deploy/local/stack.sh, which
// honours YJ_STACK_DIR / YJ_KAFKA_PORT: run it on a private stack, or alone as `make test` does).
const E = uniqueEnterpriseId();
const { document, gateways } = testRegistry([{ enterpriseId: E, gatewayIds: ['gw-1'] }]);
const G = gateways[0]!;
const RUN = uniqueId('gwr');
const KEEPALIVE = '2s';
const BEFORE = 5;
const DURING = 20;

let topics: TestTopics;
const children: ChildProcess[] = [];
let gateway: MqttClient | undefined;

const kafkaUp = () =>
  new Promise<boolean>((resolve) => {
    const [host, port] = serviceEnv().kafkaBrokers[0]!.split(':');
    const s = net.connect({ host: host!, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

const stack = (...args: string[]) => {
  const r = spawnSync('bash', ['deploy/local/stack.sh', ...args], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`stack.sh ${args.join(' ')} failed: ${r.stderr}`);
};

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** gateway-ingest as its own process (real SIGTERM, real graceful shutdown), same client ids every time. */
async function startIngest(label: string): Promise<{ child: ChildProcess; port: number }> {
  const env = serviceEnv();
  const port = await freePort();
  const logDir = `${repoRoot}.run/fault-${RUN}`;
  await mkdir(logDir, { recursive: true });
  const log = createWriteStream(`${logDir}/gateway-ingest-${label}.log`, { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: `${repoRoot}services/gateway-ingest`,
    env: {
      ...process.env,
      KAFKA_BROKERS: env.kafkaBrokers.join(','),
      TOPIC_PREFIX: topics.prefix,
      HTTP_PORT: String(port),
      MQTT_URL: env.mqttServiceUrl,
      MQTT_USERNAME: env.mqttServiceUser,
      MQTT_PASSWORD: env.mqttServicePassword,
      MQTT_CLIENT_ID: RUN,
      MQTT_SHARE_GROUP: RUN,
      MQTT_CONNECTIONS: '1',
      // only this test's gateway: what else the broker carries must not hold the one connection
      MQTT_ENTERPRISES: E,
      MQTT_SESSION_EXPIRY: '5m',
      MQTT_KEEPALIVE: KEEPALIVE,
      SHUTDOWN_TIMEOUT: '20s',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.push(child);
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway-ingest exited with ${child.exitCode}`);
      return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok;
    },
    { timeoutMs: 90_000, intervalMs: 250, message: `gateway-ingest (${label}) ready` },
  );
  return { child, port };
}

const metric = async (port: number, re: RegExp) => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
};

beforeAll(async () => {
  topics = await createTestTopics({ partitions: 1, label: 'gw-redeliver' });
  const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
  await producer.connect();
  await publishRegistry(producer, document, { changedBy: 'fault-test' });
  await producer.disconnect();
  const store = new RegistryStore();
  store.loadDocument(document);
  await syncBrokerAuthFiles(testBrokerTarget(), store.gateways());
});

afterAll(async () => {
  await gateway?.endAsync(true).catch(() => undefined);
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (!(await kafkaUp())) stack('start', 'kafka');
  await waitFor(kafkaUp, { timeoutMs: 120_000, message: 'Kafka back before clean-up' });
  await syncBrokerAuthFiles(testBrokerTarget(), [], {
    remove: gateways.map((g) => gatewayUsername(g.enterpriseId, g.gatewayId)),
  });
  await topics?.cleanup();
});

it('Kafka down past the keepalive, SIGTERM during the outage, Kafka back: every PUBACKed reading is on yj.readings.v1', async () => {
  const first = await startIngest('first');
  gateway = await waitFor(() =>
    mqtt.connectAsync(serviceEnv().mqttUrl, {
      protocolVersion: 5,
      username: gatewayUsername(G.enterpriseId, G.gatewayId),
      password: G.mqttPassword,
      reconnectPeriod: 1000,
    }),
  );
  const acked: number[] = [];
  const publish = async (seq: number) => {
    const now = Date.now();
    const body = {
      v: 1,
      gatewayId: 'gw-1',
      seq,
      sentAt: now,
      readings: [{ point: 'TT-1', ts: now, v: seq }],
    };
    await gateway!.publishAsync(`yj/v1/${E}/gw-1/telemetry`, JSON.stringify(body), { qos: 1 });
    acked.push(seq); // PUBACKed by the broker: the system now owes this reading
  };
  for (let seq = 1; seq <= BEFORE; seq++) await publish(seq);

  stack('stop', 'kafka');
  expect(await kafkaUp()).toBe(false);
  for (let seq = BEFORE + 1; seq <= BEFORE + DURING; seq++) await publish(seq);
  // The ingest connection waits for Kafka, misses its PINGRESP, reconnects; the broker redelivers
  // the waiting message. Seen as a copy waiting (fixed) or a copy answered duplicate (the bug).
  await waitFor(
    async () =>
      (await metric(first.port, /^yujing_ingest_duplicates_waiting(?:\{[^}]*\})? (\d+)/gm)) +
        (await metric(first.port, /^yujing_ingest_messages_total\{[^}]*outcome="duplicate"[^}]*\} (\d+)/gm)) >
      0,
    { timeoutMs: 60_000, intervalMs: 250, message: 'a redelivered copy of a message pending Kafka' },
  );
  const exited = new Promise<number | null>((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGTERM');
  expect(await exited).toBe(0);

  stack('start', 'kafka');
  await waitFor(kafkaUp, { timeoutMs: 120_000, message: 'Kafka back' });
  await startIngest('second');

  const collector = await new TopicCollector(topics.kafka, topicName('readings', topics.prefix)).start();
  try {
    const stored = () =>
      new Set(
        collector
          .json<ReadingBatch>()
          .filter((b) => b.enterpriseId === E)
          .map((b) => b.seq),
      );
    const missing = () => acked.filter((seq) => !stored().has(seq));
    await waitFor(() => missing().length === 0, { timeoutMs: 60_000, intervalMs: 250 }).catch(
      () => undefined,
    );
    expect({ acked: acked.length, missing: missing() }).toEqual({ acked: BEFORE + DURING, missing: [] });
  } finally {
    await collector.stop();
  }
});
