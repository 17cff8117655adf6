import { randomBytes } from 'node:crypto';
import { loadConfig } from '@yujing/config';
import { platformInboundTopic, TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { hashMqttPassword, publishRegistry, RegistryReader, sha256Hex } from '@yujing/registry';
import { type DeadLetterRecord, type ReadingBatch, RegistryDocument } from '@yujing/schemas';
import { TopicCollector, waitFor } from '@yujing/testkit';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKafkaIngest, type KafkaIngest } from '../src/app';
import { KafkaIngestConfig } from '../src/config';
import { type SaslKafkaStack, startSaslKafka } from './sasl-kafka-stack';

/**
 * Issue #14 hole 4 against a real broker in the SASL/SCRAM + ACL mode of deploy/local (a private
 * JVM on its own ports, started and stopped here): platform principals may write only their own
 * inbound topic and only for their enterprises; services authenticate with SCRAM.
 * With KAFKA_AUTH_TEST_PLAINTEXT=1 the refusal test runs against the shared PLAINTEXT broker
 * and fails — that is the hole.
 */
const PLAINTEXT = process.env.KAFKA_AUTH_TEST_PLAINTEXT === '1';
const PLATFORMS = ['acme', 'other'];
const suffix = randomBytes(3).toString('hex');
const OWN = `140105a${suffix}`; // acme speaks for this enterprise …
const FOREIGN = `140105f${suffix}`; // … and not for this one
const enterprise = (id: string) => ({
  id,
  name: `测试企业 ${id}`,
  region: { province: '140000', city: '140100', county: '140105' },
  industries: ['metal-dust'],
  hazards: ['explosive-dust'],
  classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
  connectionRequiredBy: '2024-12-31',
});
const document = RegistryDocument.parse({
  enterprises: [enterprise(OWN), enterprise(FOREIGN)],
  gateways: [OWN, FOREIGN].map((enterpriseId) => ({
    enterpriseId,
    id: 'gw-1',
    credentials: { mqttPasswordHash: hashMqttPassword('x'), httpTokenSha256: sha256Hex('x') },
  })),
  points: [OWN, FOREIGN].map((enterpriseId) => ({
    enterpriseId,
    code: 'TT-1',
    name: 'TT-1',
    kind: 'hopper-temperature',
    unit: '℃',
    gatewayId: 'gw-1',
    range: { min: 0, max: 200 },
  })),
  platforms: [
    { id: 'acme', name: '测试平台 acme', enterprises: [OWN] },
    { id: 'other', name: '测试平台 other', enterprises: [FOREIGN] },
  ],
});
const now = Date.now();
const message = (seq: number, v = 40) =>
  JSON.stringify({ v: 1, gatewayId: 'gw-1', seq, sentAt: now, readings: [{ point: 'TT-1', ts: now, v }] });

let stack: SaslKafkaStack;
let admin: Kafka;

/** Every kafkajs error type in the chain (retries wrap the broker's answer). */
function errorTypes(err: unknown): string[] {
  const out: string[] = [];
  for (let e = err as { type?: string; originalError?: unknown; cause?: unknown } | undefined; e; ) {
    if (e.type) out.push(e.type);
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return out;
}

async function sendAs(kafka: Kafka, topic: string, key: string, value: string): Promise<unknown> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key, value }], acks: -1 });
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  stack = await startSaslKafka(PLATFORMS);
  admin = stack.client('admin');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
}, 120_000);

describe('Kafka authentication and ACLs (issue #14 hole 4)', () => {
  it('refuses a platform principal writing internal topics or another platform’s inbound topic', async () => {
    const acme = stack.client('platform-acme', { mechanism: 'scram-sha-256' });
    const marker = `forged-${suffix}`;
    const forged = JSON.stringify({
      kind: 'enterprise',
      id: marker,
      version: 1,
      changedBy: 'x',
      changedAt: now,
    });
    const p = stack.prefix;
    for (const topic of [
      topicName('registry', p),
      topicName('readings', p),
      topicName('alarmCommands', p),
      topicName('telemetryInbound', p),
      ...(PLAINTEXT ? [] : [platformInboundTopic('other')]), // (no such topic on the shared broker)
    ]) {
      const err = await sendAs(acme, topic, `enterprise/${marker}`, forged);
      expect(err, `platform-acme writing ${topic}`).toBeDefined();
      expect(errorTypes(err), `platform-acme writing ${topic}`).toContain('TOPIC_AUTHORIZATION_FAILED');
    }
    // A yujing service is held to its own topics too: kafka-ingest cannot rewrite the registry.
    const err = await sendAs(
      stack.client('yj-kafka-ingest'),
      topicName('registry', p),
      `enterprise/${marker}`,
      forged,
    );
    expect(errorTypes(err)).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it.skipIf(PLAINTEXT)(
    'refuses a wrong password and an unknown user with an authentication error',
    async () => {
      for (const [user, password] of [
        ['yj-kafka-ingest', 'not-the-password'],
        ['platform-nobody', 'whatever'],
      ] as const) {
        const client = stack.client(user, { password }).admin();
        const err = await client.connect().then(
          () => undefined,
          (e: Error) => e,
        );
        await client.disconnect();
        expect(err?.name, user).toBe('KafkaJSSASLAuthenticationError');
        expect(err?.message, user).toMatch(/SASL SCRAM SHA512 authentication failed/);
      }
    },
  );

  describe.skipIf(PLAINTEXT)('kafka-ingest with its SCRAM user', () => {
    let reader: RegistryReader;
    let service: KafkaIngest;
    let readings: TopicCollector;
    let deadLetters: TopicCollector;

    beforeAll(async () => {
      // The registry is written by the CLI's principal (operator-api's could too; nobody else).
      const cli = new TypedProducer(stack.client('yj-cli'));
      await cli.connect();
      await publishRegistry(cli, document, { changedBy: 'cli:kafka-auth-test' });
      await cli.disconnect();
      const ingestKafka = stack.client('yj-kafka-ingest');
      const logger = createLogger({ service: 'kafka-ingest-auth-test', level: 'warn' });
      reader = new RegistryReader({ kafka: ingestKafka, logger });
      await reader.start();
      await waitFor(() => reader.store.platform('acme')?.enterprises.includes(OWN), {
        timeoutMs: 30_000,
        message: 'registry with platform acme',
      });
      const config = loadConfig(KafkaIngestConfig, {
        KAFKA_BROKERS: stack.brokers.join(','),
        KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      });
      service = buildKafkaIngest({
        config,
        logger,
        kafka: ingestKafka,
        registry: reader.store,
        platforms: PLATFORMS,
      });
      readings = await new TopicCollector(admin, topicName('readings')).start();
      deadLetters = await new TopicCollector(admin, topicName('deadLetter')).start();
      await service.start();
    }, 120_000);

    afterAll(async () => {
      await Promise.allSettled([readings?.stop(), deadLetters?.stop()]);
      await service?.stop();
      await reader?.stop();
    }, 60_000);

    it('accepts a platform’s record for its own enterprise and dead-letters one for a foreign enterprise', async () => {
      const acme = stack.client('platform-acme');
      expect(await sendAs(acme, platformInboundTopic('acme'), OWN, message(1, 41))).toBeUndefined();
      expect(await sendAs(acme, platformInboundTopic('acme'), FOREIGN, message(1, 42))).toBeUndefined();
      // The foreign enterprise's own platform still gets through.
      const other = stack.client('platform-other');
      expect(await sendAs(other, platformInboundTopic('other'), FOREIGN, message(2, 43))).toBeUndefined();

      await readings.until(() => readings.json<ReadingBatch>().some((b) => b.enterpriseId === FOREIGN));
      await deadLetters.until(() =>
        deadLetters.json<DeadLetterRecord>().some((l) => l.context.enterpriseId === FOREIGN),
      );
      await readings.until(() => readings.json<ReadingBatch>().some((b) => b.enterpriseId === OWN));
      const ours = readings
        .json<ReadingBatch>()
        .filter((b) => b.enterpriseId === OWN || b.enterpriseId === FOREIGN);
      expect(ours.map((b) => [b.enterpriseId, b.readings[0]?.v]).sort()).toEqual(
        [
          [OWN, 41],
          [FOREIGN, 43],
        ].sort(),
      );
      const letters = deadLetters.json<DeadLetterRecord>().filter((l) => l.context.enterpriseId === FOREIGN);
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({
        reason: 'wrong-enterprise',
        context: { platformId: 'acme', topic: platformInboundTopic('acme') },
      });
      expect(letters[0]?.message).toContain(`platform acme may not speak for enterprise ${FOREIGN}`);
    });
  });
});
