import { randomBytes } from 'node:crypto';
import { loadConfig } from '@yujing/config';
import { topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { hashMqttPassword, RegistryStore, sha256Hex } from '@yujing/registry';
import { type DeadLetterRecord, type ReadingBatch, RegistryDocument } from '@yujing/schemas';
import { createTestTopics, serviceEnv, type TestTopics, TopicCollector, uniqueId } from '@yujing/testkit';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKafkaIngest, type KafkaIngest } from '../src/app';
import { KafkaIngestConfig } from '../src/config';

const E = `140105k${randomBytes(3).toString('hex')}`;
const document = RegistryDocument.parse({
  enterprises: [
    {
      id: E,
      name: `测试企业 ${E}`,
      region: { province: '140000', city: '140100', county: '140105' },
      industries: ['metal-dust'],
      hazards: ['explosive-dust'],
      classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
      connectionRequiredBy: '2024-12-31',
    },
  ],
  gateways: [
    {
      enterpriseId: E,
      id: 'gw-1',
      credentials: { mqttPasswordHash: hashMqttPassword('x'), httpTokenSha256: sha256Hex('x') },
    },
  ],
  points: [
    {
      enterpriseId: E,
      code: 'TT-1',
      name: 'TT-1',
      kind: 'hopper-temperature',
      unit: '℃',
      gatewayId: 'gw-1',
      range: { min: 0, max: 200 },
    },
  ],
});

let topics: TestTopics;
let service: KafkaIngest;
let producer: Producer;
let readings: TopicCollector;
let deadLetters: TopicCollector;
const now = Date.now();
const message = (seq: number, v = 40) =>
  JSON.stringify({ v: 1, gatewayId: 'gw-1', seq, sentAt: now, readings: [{ point: 'TT-1', ts: now, v }] });

beforeAll(async () => {
  topics = await createTestTopics({ partitions: 2, label: 'kafka-ingest' });
  const store = new RegistryStore();
  store.loadDocument(document);
  const config = loadConfig(KafkaIngestConfig, {
    KAFKA_BROKERS: serviceEnv().kafkaBrokers.join(','),
    TOPIC_PREFIX: topics.prefix,
    GROUP_ID: uniqueId('kafka-ingest'),
  });
  service = buildKafkaIngest({
    config,
    logger: createLogger({ service: 'kafka-ingest-test', level: 'warn' }),
    kafka: topics.kafka,
    registry: store,
  });
  await service.start();
  producer = topics.kafka.producer();
  await producer.connect();
  readings = await new TopicCollector(topics.kafka, topicName('readings', topics.prefix)).start();
  deadLetters = await new TopicCollector(topics.kafka, topicName('deadLetter', topics.prefix)).start();
});

afterAll(async () => {
  await Promise.allSettled([readings?.stop(), deadLetters?.stop(), producer?.disconnect()]);
  await service?.stop();
  await topics?.cleanup();
});

describe('kafka-ingest (real Kafka)', () => {
  it('normalises native records keyed or headed by enterprise, drops replays, dead-letters bad ones', async () => {
    await producer.send({
      topic: topicName('telemetryInbound', topics.prefix),
      messages: [
        { key: E, value: message(1) },
        { key: 'platform-x', value: message(2, 41), headers: { 'yj-enterprise-id': E } },
        { key: E, value: message(1) }, // replay
        { key: E, value: '{"v":1' },
        { key: 'nobody', value: message(3) },
        { key: E, value: message(4), headers: { 'yj-format': 'sm4-dust' } },
        {
          key: E,
          value: JSON.stringify({
            v: 1,
            gatewayId: 'gw-1',
            seq: 5,
            sentAt: now,
            readings: [{ point: 'NOPE', ts: now, v: 1 }],
          }),
        },
        { key: E, value: message(6, 42) }, // marker: same key as the replay, so it follows it
      ],
    });
    await readings.until(() => [2, 6].every((s) => readings.json<ReadingBatch>().some((b) => b.seq === s)));
    const batches = readings.json<ReadingBatch>();
    expect(batches.map((b) => [b.seq, b.source, b.readings[0]?.v, b.readings[0]?.kind])).toEqual(
      expect.arrayContaining([
        [1, 'kafka', 40, 'hopper-temperature'],
        [2, 'kafka', 41, 'hopper-temperature'],
      ]),
    );
    expect(batches.filter((b) => b.seq === 1)).toHaveLength(1);
    expect(readings.records.find((r) => JSON.parse(String(r.value)).seq === 2)?.key).toBe(E);
    const reasons = ['invalid-json', 'unknown-enterprise', 'unsupported-format', 'unknown-point'];
    await deadLetters.until(() =>
      reasons.every((r) => deadLetters.json<DeadLetterRecord>().some((l) => l.reason === r)),
    );
    const letter = deadLetters.json<DeadLetterRecord>().find((l) => l.reason === 'unknown-point');
    expect(letter).toMatchObject({ source: 'kafka', context: { enterpriseId: E, adapter: 'native-v1' } });
    expect(letter?.issues[0]?.path).toBe('readings.0.point');
  });
});
