import { TypedProducer, topicName } from '@yujing/kafka';
import { countRows, QuestDbQuery, walApplied } from '@yujing/questdb';
import type { AlarmTransitionEvent, DeadLetterRecord } from '@yujing/schemas';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  serviceEnv,
  type TestTopics,
  TopicCollector,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricTotal, readingBatches, startWriter, T0 } from './store-writer-fixture';

async function committed(topics: TestTopics, groupId: string, topic: string): Promise<number> {
  const admin = topics.kafka.admin();
  await admin.connect();
  try {
    const [o] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (o?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Records on the topic (sum of end offsets): kafkajs may re-send a produce request to a just-created topic. */
async function recordsOn(topics: TestTopics, topic: string): Promise<number> {
  const admin = topics.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

describe('store-writer against the real Kafka and QuestDB', () => {
  let topics: TestTopics;
  let query: QuestDbQuery;
  let producer: TypedProducer;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 2, label: 'sw' });
    query = new QuestDbQuery({ connectionString: serviceEnv().questdbPg });
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await producer?.disconnect();
    await query?.close();
    await topics?.cleanup();
  });

  it('writes exactly one row per reading, and still exactly N after the offsets are reset and re-consumed', async () => {
    const table = createQuestDbTablePrefix('sw');
    cleanups.push(table.cleanup);
    const batches = readingBatches(40, 50);
    const n = batches.reduce((s, b) => s + b.readings.length, 0);
    await producer.send(
      'readings',
      batches.map((b) => ({ key: b.enterpriseId, value: b })),
    );
    const topic = topicName('readings', topics.prefix);
    // Usually batches.length; more if the producer re-sent a request (at-least-once), which the table's
    // dedup keys must absorb: the row count below stays exactly n either way.
    const records = await recordsOn(topics, topic);
    expect(records).toBeGreaterThanOrEqual(batches.length);

    const first = await startWriter({
      kafka: topics.kafka,
      topicPrefix: topics.prefix,
      tablePrefix: table.prefix,
      query,
    });
    await waitFor(async () => (await committed(topics, first.groupId, topic)) === records, {
      timeoutMs: 60_000,
      message: 'all batches committed',
    });
    await waitFor(() => walApplied(query, first.tables.readings), { message: 'WAL applied' });
    expect(await countRows(query, first.tables.readings)).toBe(n);
    // One row per reading of every record consumed (n, or more if a record is on the topic twice).
    const firstWritten = await metricTotal(first.registry, 'yujing_store_writer_rows_written_total');
    expect(firstWritten).toBeGreaterThanOrEqual(n);
    await first.stop();

    // Reset the group's offsets to the beginning: everything is consumed and written again.
    const admin = topics.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: first.groupId, topic, earliest: true });
    await admin.disconnect();
    const again = await startWriter({
      kafka: topics.kafka,
      topicPrefix: topics.prefix,
      tablePrefix: table.prefix,
      groupId: first.groupId,
      query,
    });
    cleanups.push(() => again.stop());
    await waitFor(
      async () =>
        (await metricTotal(again.registry, 'yujing_store_writer_rows_written_total')) >= firstWritten,
      {
        timeoutMs: 60_000,
        message: 're-consumed rows written again',
      },
    );
    await waitFor(() => walApplied(query, again.tables.readings), { message: 'WAL applied' });
    expect(await countRows(query, again.tables.readings)).toBe(n);
    expect(await metricTotal(again.registry, 'yujing_store_writer_rows_written_total')).toBe(firstWritten);
  });

  it('dead-letters a row QuestDB rejects and an undecodable record, and keeps writing the partition', async () => {
    const table = createQuestDbTablePrefix('swbad');
    cleanups.push(table.cleanup);
    // A table whose `actor` column has the wrong type: only events with an actor are rejected (HTTP 400).
    await query.query(
      `CREATE TABLE ${table.prefix}alarm_events (ts TIMESTAMP, alarm_id SYMBOL, actor DOUBLE, seq LONG) TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, alarm_id, seq)`,
    );
    const event = (seq: number, withActor = false): AlarmTransitionEvent => ({
      alarmId: '140105000001:CO-1:co-hh:1764295200000',
      enterpriseId: '140105000001',
      point: 'CO-1',
      rule: 'co-hh',
      kind: 'threshold',
      level: 2,
      state: withActor ? 'active-ack' : 'active-unack',
      loop: 'open',
      transition: withActor ? 'ack' : 'raise',
      value: 60,
      limit: 50,
      eventTime: T0 + seq,
      emittedAt: T0 + seq,
      episodeStart: T0,
      seq,
      ...(withActor ? { actor: { id: 'op-1', role: 'operator' as const } } : {}),
    });
    const dlq = await new TopicCollector(topics.kafka, topicName('deadLetter', topics.prefix)).start();
    cleanups.push(() => dlq.stop());
    const alarms = topicName('alarms', topics.prefix);
    await producer.send(
      'alarms',
      [0, 1, 2].map((s) => ({ key: '140105000001', value: event(s) })),
    );
    await producer.send('alarms', [{ key: '140105000001', value: event(3, true) }]);
    await producer.raw.send({ topic: alarms, messages: [{ key: '140105000001', value: '{not json' }] });
    await producer.send(
      'alarms',
      [4, 5].map((s) => ({ key: '140105000001', value: event(s) })),
    );

    const w = await startWriter({
      kafka: topics.kafka,
      topicPrefix: topics.prefix,
      tablePrefix: table.prefix,
      applyDdl: false,
      query,
    });
    cleanups.push(() => w.stop());
    // At-least-once: a batch redelivered after a rebalance may dead-letter the same record twice.
    const distinct = (rs: readonly { value: Buffer | null }[]) => {
      const byKey = new Map<string, DeadLetterRecord>();
      for (const r of rs) {
        const d = JSON.parse(r.value!.toString()) as DeadLetterRecord;
        byKey.set(`${d.reason}@${d.context.offset}`, d);
      }
      return [...byKey.values()];
    };
    const records = await dlq.until((rs) => distinct(rs).length >= 2, { timeoutMs: 60_000 });
    const dead = distinct(records);
    expect(dead.map((d) => d.reason).sort()).toEqual(['invalid-json', 'questdb-rejected']);
    const rejected = dead.find((d) => d.reason === 'questdb-rejected')!;
    expect(rejected.source).toBe('store-writer');
    expect(rejected.message).toMatch(/actor/);
    expect(JSON.parse(Buffer.from(rejected.raw, 'base64').toString()).seq).toBe(3);
    expect(dead.find((d) => d.reason === 'invalid-json')!.raw).toBe(
      Buffer.from('{not json').toString('base64'),
    );

    await waitFor(async () => (await committed(topics, w.groupId, alarms)) === 7, {
      timeoutMs: 30_000,
      message: 'all 7 offsets committed',
    });
    await waitFor(() => walApplied(query, `${table.prefix}alarm_events`), { message: 'WAL applied' });
    const seqs = await query.query<{ seq: number }>(
      `SELECT seq FROM ${table.prefix}alarm_events ORDER BY seq`,
    );
    expect(seqs.map((r) => r.seq)).toEqual([0, 1, 2, 4, 5]);
  });
});
