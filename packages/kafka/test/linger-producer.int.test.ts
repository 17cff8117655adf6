import { LingerProducer, TypedProducer, topicName } from '@yujing/kafka';
import { createTestTopics, type TestTopics, TopicCollector } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ENTERPRISES = ['140105000001', '140105000002', '140105000003', '140105000004'];

describe('LingerProducer against the real broker', () => {
  let topics: TestTopics;
  let typed: TypedProducer;
  let flushes: number[];
  let producer: LingerProducer;

  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 3 });
    typed = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await typed.connect();
    flushes = [];
    producer = LingerProducer.over(typed, {
      prefix: topics.prefix,
      maxInFlight: 2,
      lingerMs: 2,
      maxBatchRecords: 50,
      onFlush: (f) => flushes.push(f.calls),
    });
  });
  afterAll(async () => {
    await typed?.disconnect();
    await topics?.cleanup();
  });

  it('resolves every caller once its records are on Kafka, in call order per key, in fewer requests', async () => {
    const perKey = 100;
    const calls: Promise<void>[] = [];
    for (let seq = 0; seq < perKey; seq++)
      for (const enterpriseId of ENTERPRISES)
        calls.push(
          producer.sendEncoded('readings', [
            { key: enterpriseId, value: Buffer.from(JSON.stringify({ seq })) },
          ]),
        );
    await Promise.all(calls);
    expect(flushes.reduce((a, b) => a + b, 0)).toBe(calls.length);
    expect(flushes.length).toBeLessThan(calls.length / 10);

    const collector = await new TopicCollector(topics.kafka, topicName('readings', topics.prefix)).start();
    try {
      const distinct = (rs: readonly { key: string | null; value: Buffer | null }[]) =>
        new Set(rs.map((r) => `${r.key}:${r.value?.toString()}`)).size;
      const records = await collector.until((rs) => distinct(rs) >= calls.length);
      for (const enterpriseId of ENTERPRISES) {
        const seqs = records
          .filter((r) => r.key === enterpriseId)
          .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
          .map((r) => (JSON.parse(r.value!.toString()) as { seq: number }).seq);
        // At-least-once: kafkajs re-sends a request whose answer it lost (seen on a freshly created
        // topic under load), so a record may appear twice; the order of first appearances is the call order.
        expect([...new Set(seqs)]).toEqual(Array.from({ length: perKey }, (_, i) => i));
      }
    } finally {
      await collector.stop();
    }
  });

  it("rejects every caller of a request the broker refuses with the broker's error", async () => {
    // yj.gateway-events.v1 keeps the broker's 1 MiB max.message.bytes: one oversized record
    // makes the broker refuse the request, and so every call coalesced with it.
    const big = Buffer.alloc(1_200_000, 'x');
    const solo = new LingerProducer({
      sendBatch: (topicMessages) => typed.raw.sendBatch({ topicMessages, acks: -1 }),
      prefix: topics.prefix,
      maxBatchBytes: 8 * 1024 * 1024,
    });
    const outcomes = await Promise.allSettled([
      solo.sendEncoded('gatewayEvents', [{ key: ENTERPRISES[0]!, value: Buffer.from('{}') }]),
      solo.sendEncoded('gatewayEvents', [{ key: ENTERPRISES[0]!, value: big }]),
      solo.sendEncoded('gatewayEvents', [{ key: ENTERPRISES[0]!, value: Buffer.from('{}') }]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? o.reason : undefined));
    expect(reasons[0]).toBeInstanceOf(Error);
    expect(new Set(reasons).size).toBe(1);
    expect(solo.inFlight).toBe(0);
  });
});
