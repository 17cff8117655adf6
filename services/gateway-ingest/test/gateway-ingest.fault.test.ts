import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  type BrokerAuthTarget,
  gatewayUsername,
  ingestServiceAccount,
  reloadByCommand,
  syncBrokerAuthFiles,
} from '@yujing/broker-auth';
import { loadConfig } from '@yujing/config';
import { topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryStore } from '@yujing/registry';
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
import { buildGatewayIngest, type GatewayIngest } from '../src/app';
import { GatewayIngestConfig } from '../src/config';
import { testBrokerTarget } from './ingest-test-broker';
import { testRegistry, uniqueEnterpriseId } from './ingest-test-registry';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const E = uniqueEnterpriseId();
const { document, gateways } = testRegistry([{ enterpriseId: E, gatewayIds: ['gw-1', 'gw-2'] }]);
const MESSAGES_PER_GATEWAY = 30;
const READINGS_PER_MESSAGE = 3;

let topics: TestTopics;
let service: GatewayIngest;
let target: BrokerAuthTarget;
const clients: MqttClient[] = [];

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

beforeAll(async () => {
  const env = serviceEnv();
  topics = await createTestTopics({ partitions: 2, label: 'gw-fault' });
  target = testBrokerTarget();
  const store = new RegistryStore();
  store.loadDocument(document);
  await syncBrokerAuthFiles(target, store.gateways());
  const config = loadConfig(GatewayIngestConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    TOPIC_PREFIX: topics.prefix,
    MQTT_URL: env.mqttServiceUrl,
    MQTT_USERNAME: env.mqttServiceUser,
    MQTT_PASSWORD: env.mqttServicePassword,
    MQTT_CLIENT_ID: uniqueId('gwf'),
    MQTT_SHARE_GROUP: uniqueId('gwf-group'),
    MQTT_CONNECTIONS: '2',
    MQTT_SESSION_EXPIRY: '5m',
    MQTT_KEEPALIVE: '120s',
  });
  const logger = createLogger({ service: 'gateway-ingest-fault', level: 'error' });
  service = await buildGatewayIngest({
    config,
    logger,
    kafka: topics.kafka,
    registry: store,
    registryReady: () => true,
  });
  await service.start();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.endAsync(true)));
  await service?.http.close();
  await service?.stop();
  if (target)
    await syncBrokerAuthFiles(target, [], {
      remove: gateways.map((g) => gatewayUsername(g.enterpriseId, g.gatewayId)),
    });
  await waitFor(kafkaUp, { timeoutMs: 120_000, message: 'Kafka back before clean-up' });
  await topics?.cleanup();
});

it('Kafka stopped for 10 s while gateways publish at QoS 1: every reading reaches yj.readings.v1', async () => {
  for (const g of gateways) {
    const c = await waitFor(() =>
      mqtt.connectAsync(serviceEnv().mqttUrl, {
        protocolVersion: 5,
        clientId: uniqueId('fault-gw'),
        username: gatewayUsername(g.enterpriseId, g.gatewayId),
        password: g.mqttPassword,
        reconnectPeriod: 1000,
      }),
    );
    clients.push(c);
  }
  const publishAll = (from: number, to: number) =>
    gateways.flatMap((g, i) =>
      Array.from({ length: to - from + 1 }, (_, k) => {
        const seq = from + k;
        const ts = Date.now();
        const body = {
          v: 1,
          gatewayId: g.gatewayId,
          seq,
          sentAt: ts,
          readings: Array.from({ length: READINGS_PER_MESSAGE }, (_, r) => ({
            point: r % 2 ? 'PDT-1' : 'TT-1',
            ts: ts - r,
            v: seq + r,
          })),
        };
        return clients[i]!.publishAsync(
          `yj/v1/${g.enterpriseId}/${g.gatewayId}/telemetry`,
          JSON.stringify(body),
          { qos: 1 },
        );
      }),
    );
  // A first third while Kafka is up, the rest while it is down.
  await Promise.all(publishAll(1, 10));
  const bounce = spawn('bash', ['deploy/local/stack.sh', 'bounce', 'kafka', '10'], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
  const bounced = new Promise<number | null>((resolve) => bounce.once('exit', resolve));
  await waitFor(async () => !(await kafkaUp()), { timeoutMs: 60_000, message: 'Kafka stopped' });
  const acked = Promise.all(publishAll(11, MESSAGES_PER_GATEWAY));
  expect(await bounced).toBe(0);
  await waitFor(kafkaUp, { timeoutMs: 120_000, message: 'Kafka back' });
  await acked; // every PUBACK arrives only after Kafka had the batch

  const collector = await new TopicCollector(topics.kafka, topicName('readings', topics.prefix)).start();
  try {
    const batches = () => collector.json<ReadingBatch>().filter((b) => b.enterpriseId === E);
    const expected = gateways.length * MESSAGES_PER_GATEWAY;
    await collector.until(() => new Set(batches().map((b) => `${b.gatewayId}/${b.seq}`)).size >= expected, {
      timeoutMs: 60_000,
      message: `${expected} distinct messages on yj.readings.v1`,
    });
    const distinct = new Map(batches().map((b) => [`${b.gatewayId}/${b.seq}`, b]));
    expect(distinct.size).toBe(expected);
    expect([...distinct.values()].reduce((n, b) => n + b.readings.length, 0)).toBe(
      expected * READINGS_PER_MESSAGE,
    );
  } finally {
    await collector.stop();
  }
});
