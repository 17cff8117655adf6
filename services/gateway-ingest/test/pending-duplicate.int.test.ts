import { loadConfig } from '@yujing/config';
import { deleteTopicsWithPrefix, ensureTopics, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { RegistryStore } from '@yujing/registry';
import type { ReadingBatch } from '@yujing/schemas';
import { serviceEnv, TopicCollector, testKafka, uniqueId, waitFor } from '@yujing/testkit';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildGatewayIngest, type GatewayIngest } from '../src/app';
import { GatewayIngestConfig } from '../src/config';
import { testRegistry, uniqueEnterpriseId } from './ingest-test-registry';

// Issue #14 hole 3: a copy of a message whose first copy is still waiting for Kafka was answered
// "duplicate" (MQTT: PUBACKed) at once; if the process then stopped before Kafka came back, the
// message was gone. Kafka is made unavailable for this test's readings only: its topic does not
// exist yet (auto-creation is off), so every produce of a batch fails and is retried.
const E = uniqueEnterpriseId();
const { document, gateways } = testRegistry([{ enterpriseId: E, gatewayIds: ['gw-1'] }]);
const G = gateways[0]!;
const prefix = `${uniqueId('gw-pending')}.`;
let kafka: Kafka;
let service: GatewayIngest;

beforeAll(async () => {
  const env = serviceEnv();
  kafka = testKafka();
  await ensureTopics(kafka, { prefix, topics: ['gatewayEvents', 'deadLetter'] });
  const store = new RegistryStore();
  store.loadDocument(document);
  const config = loadConfig(GatewayIngestConfig, {
    KAFKA_BROKERS: env.kafkaBrokers.join(','),
    TOPIC_PREFIX: prefix,
    MQTT_URL: env.mqttServiceUrl,
    MQTT_USERNAME: env.mqttServiceUser,
    MQTT_PASSWORD: env.mqttServicePassword,
    MQTT_CLIENT_ID: uniqueId('gwp'),
    MQTT_SHARE_GROUP: uniqueId('gwp-group'),
    MQTT_CONNECTIONS: '1',
    MQTT_ENTERPRISES: E,
    MQTT_SESSION_EXPIRY: '30s',
    HTTP_PRODUCE_TIMEOUT: '2m',
  });
  const logger = createLogger({ service: 'gateway-ingest-pending', level: 'error' });
  service = await buildGatewayIngest({ config, logger, kafka, registry: store, registryReady: () => true });
  await service.start();
});

afterAll(async () => {
  await service?.http.close();
  await service?.stop();
  if (kafka) await deleteTopicsWithPrefix(kafka, prefix);
});

const metric = async (name: string) => {
  const text = (await service.http.inject({ method: 'GET', url: '/metrics' })).body;
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text)?.[1] ?? 0);
};

it('a copy of a message still pending Kafka is answered only with the first copy on Kafka', async () => {
  const now = Date.now();
  const body = JSON.stringify({
    v: 1,
    gatewayId: 'gw-1',
    seq: 7,
    sentAt: now,
    readings: [{ point: 'TT-1', ts: now - 1000, v: 40 }],
  });
  const post = () =>
    service.http.inject({
      method: 'POST',
      url: '/ingest/v1/telemetry',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${G.httpToken}` },
      payload: body,
    });
  const first = post();
  await waitFor(async () => (await metric('yujing_ingest_produce_retries_total')) > 0, {
    timeoutMs: 60_000,
    message: 'the first copy is retrying against the missing readings topic',
  });
  let secondAnswered = false;
  const second = post().finally(() => {
    secondAnswered = true;
  });
  // Either the copy is answered (the bug) or it is waiting for the first copy's outcome.
  await waitFor(async () => secondAnswered || (await metric('yujing_ingest_duplicates_waiting')) > 0, {
    timeoutMs: 30_000,
    message: 'the second copy is answered or waits for the first',
  });
  const readingsTopic = topicName('readings', prefix);
  const existing = await kafka.admin();
  await existing.connect();
  const topicExists = (await existing.listTopics()).includes(readingsTopic);
  await existing.disconnect();
  // Answered before Kafka could have the reading: that 202 would be a lie.
  expect({ secondAnswered, topicExists }).toEqual({ secondAnswered: false, topicExists: false });

  await ensureTopics(kafka, { prefix, topics: ['readings'] });
  const [a, b] = await Promise.all([first, second]);
  expect(a.statusCode).toBe(202);
  expect(b.statusCode).toBe(202);
  expect([a.json().status, b.json().status].sort()).toEqual(['accepted', 'duplicate']);
  const collector = await new TopicCollector(kafka, readingsTopic).start();
  try {
    await collector.until(() => collector.json<ReadingBatch>().some((x) => x.seq === 7));
    expect(collector.json<ReadingBatch>().filter((x) => x.enterpriseId === E && x.seq === 7)).toHaveLength(1);
  } finally {
    await collector.stop();
  }
});
