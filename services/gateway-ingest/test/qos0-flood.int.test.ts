import { gatewayUsername, syncBrokerAuthFiles } from '@yujing/broker-auth';
import { loadConfig } from '@yujing/config';
import { deleteTopicsWithPrefix, ensureTopics, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryStore } from '@yujing/registry';
import type { DeadLetterRecord, ReadingBatch } from '@yujing/schemas';
import { serviceEnv, TopicCollector, testKafka, uniqueId, waitFor } from '@yujing/testkit';
import type { Kafka } from 'kafkajs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildGatewayIngest, type GatewayIngest } from '../src/app';
import { GatewayIngestConfig } from '../src/config';
import { testBrokerTarget } from './ingest-test-broker';
import { type TestGateway, testRegistry, uniqueEnterpriseId } from './ingest-test-registry';

// Issue #14 hole 2: QoS 0 has no PUBACK to hold back, so every QoS 0 message was taken and kept
// in memory until Kafka had it: one flooding gateway (or a Kafka outage) grew the process for all.
// Kafka is unavailable for this test's readings (the topic does not exist yet), so nothing leaves.
const E1 = uniqueEnterpriseId();
const E2 = uniqueEnterpriseId();
const { document, gateways } = testRegistry([
  { enterpriseId: E1, gatewayIds: ['gw-1'] },
  { enterpriseId: E2, gatewayIds: ['gw-1'] },
]);
const [FLOODER, OTHER] = gateways as [TestGateway, TestGateway];
const PER_GATEWAY = 4;
const FLOOD = 400;
const prefix = `${uniqueId('gw-qos0')}.`;
let kafka: Kafka;
let service: GatewayIngest;
const clients: MqttClient[] = [];

beforeAll(async () => {
  const env = serviceEnv();
  kafka = testKafka();
  await ensureTopics(kafka, { prefix, topics: ['gatewayEvents', 'deadLetter'] });
  const store = new RegistryStore();
  store.loadDocument(document);
  await syncBrokerAuthFiles(testBrokerTarget(), store.gateways());
  const config = loadConfig(GatewayIngestConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    TOPIC_PREFIX: prefix,
    MQTT_URL: env.mqttServiceUrl,
    MQTT_USERNAME: env.mqttServiceUser,
    MQTT_PASSWORD: env.mqttServicePassword,
    MQTT_CLIENT_ID: uniqueId('gwq'),
    MQTT_SHARE_GROUP: uniqueId('gwq-group'),
    MQTT_CONNECTIONS: '2',
    // only this test's gateways: another test's QoS 1 message would wait for the absent topic
    // and hold up a connection (and the QoS 0 messages behind it)
    MQTT_ENTERPRISES: `${E1},${E2}`,
    MQTT_SESSION_EXPIRY: '30s',
    MQTT_QOS0_MAX_IN_FLIGHT_PER_GATEWAY: String(PER_GATEWAY),
    MQTT_QOS0_MAX_IN_FLIGHT: '64',
  });
  const logger = createLogger({ service: 'gateway-ingest-qos0', level: 'error' });
  service = await buildGatewayIngest({ config, logger, kafka, registry: store, registryReady: () => true });
  await service.start();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.endAsync(true)));
  await service?.http.close();
  await service?.stop();
  await syncBrokerAuthFiles(testBrokerTarget(), [], {
    remove: gateways.map((g) => gatewayUsername(g.enterpriseId, g.gatewayId)),
  });
  if (kafka) await deleteTopicsWithPrefix(kafka, prefix);
});

const metrics = async () => {
  const text = (await service.http.inject({ method: 'GET', url: '/metrics' })).body;
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  return {
    inFlight: sum(/^yujing_ingest_in_flight\{[^}]*source="mqtt"[^}]*\} (\d+)/gm),
    dropped: sum(/^yujing_ingest_qos0_dropped_total\{[^}]*\} (\d+)/gm),
  };
};

async function connect(g: TestGateway): Promise<MqttClient> {
  const c = await waitFor(
    () =>
      mqtt.connectAsync(serviceEnv().mqttUrl, {
        protocolVersion: 5,
        username: gatewayUsername(g.enterpriseId, g.gatewayId),
        password: g.mqttPassword,
        reconnectPeriod: 0,
        connectTimeout: 3000,
      }),
    { timeoutMs: 15_000, intervalMs: 200, message: `gateway ${g.enterpriseId}/${g.gatewayId} connects` },
  );
  clients.push(c);
  return c;
}

const body = (g: TestGateway, seq: number) => {
  const now = Date.now();
  return JSON.stringify({
    v: 1,
    gatewayId: g.gatewayId,
    seq,
    sentAt: now,
    readings: [{ point: 'TT-1', ts: now - 1000, v: 40 }],
  });
};

it('a gateway flooding QoS 0 holds at most its cap in memory; the excess is dropped and another gateway still gets in', async () => {
  const flooder = await connect(FLOODER);
  for (let seq = 1; seq <= FLOOD; seq++) {
    await flooder.publishAsync(`yj/v1/${E1}/gw-1/telemetry`, body(FLOODER, seq), { qos: 0 });
  }
  // Every flood message is either held (waiting for Kafka) or dropped.
  const afterFlood = await waitFor(
    async () => {
      const m = await metrics();
      return m.inFlight + m.dropped >= FLOOD && m;
    },
    { timeoutMs: 30_000, message: `all ${FLOOD} QoS 0 messages taken in or dropped` },
  );
  expect(afterFlood).toEqual({ inFlight: PER_GATEWAY, dropped: FLOOD - PER_GATEWAY });

  const other = await connect(OTHER);
  await other.publishAsync(`yj/v1/${E2}/gw-1/telemetry`, body(OTHER, 1), { qos: 0 });
  const withOther = await waitFor(
    async () => {
      const m = await metrics();
      return m.inFlight === PER_GATEWAY + 1 && m;
    },
    { message: "the other gateway's QoS 0 message is taken in despite the flood" },
  ).catch(metrics);
  expect(withOther).toEqual({ inFlight: PER_GATEWAY + 1, dropped: FLOOD - PER_GATEWAY });

  // Kafka back: what was held is delivered, the drops are named in one dead letter per gateway.
  await ensureTopics(kafka, { prefix, topics: ['readings'] });
  const readings = await new TopicCollector(kafka, topicName('readings', prefix)).start();
  const letters = await new TopicCollector(kafka, topicName('deadLetter', prefix)).start();
  try {
    await readings.until(() => readings.json<ReadingBatch>().length >= PER_GATEWAY + 1);
    expect(
      readings
        .json<ReadingBatch>()
        .map((b) => b.enterpriseId)
        .sort(),
    ).toEqual([...Array(PER_GATEWAY).fill(E1), E2].sort());
    await letters.until(() => letters.json<DeadLetterRecord>().some((l) => l.reason === 'qos0-overload'));
    const notice = letters.json<DeadLetterRecord>().filter((l) => l.reason === 'qos0-overload');
    // one notice (Kafka is at-least-once: a retried produce may write it twice, never another one)
    expect(new Set(notice.map((l) => `${l.receivedAt}:${l.raw}`)).size).toBe(1);
    expect(notice[0]?.context).toMatchObject({ enterpriseId: E1, gatewayId: 'gw-1', limit: 'gateway-limit' });
  } finally {
    await Promise.allSettled([readings.stop(), letters.stop()]);
  }
});
