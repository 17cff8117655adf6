import { ensureTopics, TypedProducer, topicName } from '@yujing/kafka';
import type { ReadingBatch } from '@yujing/schemas';
import { createTestTopics, type TestTopics, TopicCollector } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const batch = (enterpriseId: string, seq: number): ReadingBatch => ({
  v: 1,
  enterpriseId,
  gatewayId: 'gw-01',
  seq,
  source: 'simulator',
  sentAt: 1_764_295_200_000 + seq,
  receivedAt: 1_764_295_200_100 + seq,
  readings: [{ point: 'CO-BF1-003', kind: 'gas-co', ts: 1_764_295_200_000 + seq, v: 20 + seq, q: 'good' }],
});

describe('kafka round trip against the real broker', () => {
  let topics: TestTopics;
  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 2 });
  });
  afterAll(async () => {
    await topics?.cleanup();
  });

  it('delivers keys, headers and JSON values as produced', async () => {
    const producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    const sent = [batch('140105000001', 1), batch('140105000002', 2), batch('140105000001', 3)];
    await producer.send(
      'readings',
      sent.map((value) => ({ key: value.enterpriseId, value, headers: { 'x-trace': `seq-${value.seq}` } })),
    );
    await producer.disconnect();

    const collector = await new TopicCollector(topics.kafka, topicName('readings', topics.prefix)).start();
    try {
      const records = await collector.until(sent.length);
      const bySeq = new Map(records.map((r) => [(JSON.parse(r.value!.toString()) as ReadingBatch).seq, r]));
      for (const value of sent) {
        const r = bySeq.get(value.seq);
        expect(r?.key).toBe(value.enterpriseId);
        expect(r?.headers['x-trace']).toBe(`seq-${value.seq}`);
        expect(JSON.parse(r!.value!.toString())).toEqual(value);
      }
      // Same key → same partition (order per enterprise is kept).
      expect(bySeq.get(1)?.partition).toBe(bySeq.get(3)?.partition);
    } finally {
      await collector.stop();
    }
  });

  it('ensureTopics is idempotent: a second call creates nothing and fails nothing', async () => {
    const again = await ensureTopics(topics.kafka, { prefix: topics.prefix, partitions: { readings: 2 } });
    expect(again).toEqual([]);
    const admin = topics.kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topicName('readings', topics.prefix)] });
      expect(meta.topics[0]?.partitions).toHaveLength(2);
    } finally {
      await admin.disconnect();
    }
  });
});
