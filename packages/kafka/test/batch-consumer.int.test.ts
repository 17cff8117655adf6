import { runBatchConsumer, TypedProducer, topicName } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import type { DeadLetterRecord } from '@yujing/schemas';
import { createTestTopics, type TestTopics, uniqueGroupId, waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const logger = createLogger({ service: 'kafka-test', level: 'warn' });
const record = (i: number): DeadLetterRecord => ({
  source: 'test',
  reason: 'schema',
  issues: [],
  receivedAt: 1_764_295_200_000 + i,
  context: { i: String(i) },
  raw: Buffer.from(`raw-${i}`).toString('base64'),
});

async function committedTotal(topics: TestTopics, groupId: string, topic: string): Promise<number> {
  const admin = topics.kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('runBatchConsumer', () => {
  let topics: TestTopics;
  let producer: TypedProducer;
  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 2 });
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await topics?.cleanup();
  });

  it('commits only batches whose handler resolved; a failed batch is delivered again', async () => {
    const topic = topicName('deadLetter', topics.prefix);
    const groupId = uniqueGroupId('bc');
    await producer.send(
      'deadLetter',
      [0, 1, 2, 3, 4, 5].map((i) => ({ key: `k${i}`, value: record(i) })),
    );
    const seen: string[] = [];
    let failuresLeft = 1;
    const consumer = await runBatchConsumer({
      kafka: topics.kafka,
      groupId,
      topics: [topic],
      logger,
      fromBeginning: true,
      consumerConfig: { maxWaitTimeInMs: 200, retry: { retries: 5, initialRetryTime: 100 } },
      eachBatch: async (batch) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('simulated sink failure');
        }
        for (const m of batch.messages) seen.push(String(JSON.parse(m.value!.toString()).context.i));
      },
    });
    try {
      await waitFor(async () => (await committedTotal(topics, groupId, topic)) === 6, {
        timeoutMs: 30_000,
        message: 'offsets of all 6 records committed',
      });
      // Every record was handled; the failed batch's records came back (at-least-once).
      expect(new Set(seen)).toEqual(new Set(['0', '1', '2', '3', '4', '5']));
    } finally {
      await consumer.stop();
    }
  });

  it('pause stops delivery, resume restarts it, stop finishes the in-flight batch and commits it', async () => {
    const topic = topicName('deliveries', topics.prefix);
    const groupId = uniqueGroupId('bc');
    const handled: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const consumer = await runBatchConsumer({
      kafka: topics.kafka,
      groupId,
      topics: [topic],
      logger,
      fromBeginning: true,
      consumerConfig: { maxWaitTimeInMs: 200 },
      eachBatch: async (batch) => {
        handled.push(batch.messages.length);
        await gate;
      },
    });
    await consumer.joined;
    consumer.pause();
    expect(consumer.isPaused()).toBe(true);
    const raw = producer.raw;
    await raw.send({ topic, messages: [{ key: 'a', value: '{}' }] });
    // Paused: give the consumer a full fetch cycle chance, observed through the group's committed offsets.
    await expect(
      waitFor(() => handled.length > 0, { timeoutMs: 1_500, intervalMs: 100, message: 'paused' }),
    ).rejects.toThrow();
    consumer.resume();
    await waitFor(() => handled.length > 0, { timeoutMs: 20_000, message: 'batch delivered after resume' });
    const stopping = consumer.stop();
    release();
    await stopping;
    expect(await committedTotal(topics, groupId, topic)).toBe(1);
  });
});
