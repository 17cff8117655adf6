import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TypedProducer } from '@yujing/kafka';
import { countRows, QuestDbQuery, walApplied } from '@yujing/questdb';
import {
  createQuestDbTablePrefix,
  createTestTopics,
  serviceEnv,
  type TestTopics,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricTotal, type RunningWriter, readingBatches, startWriter } from './store-writer-fixture';

const STACK = fileURLToPath(new URL('../../../deploy/local/stack.sh', import.meta.url));
const run = promisify(execFile);

describe('store-writer when QuestDB is down for 15 s mid-stream', () => {
  let topics: TestTopics;
  let query: QuestDbQuery;
  let producer: TypedProducer;
  let writer: RunningWriter | undefined;
  const table = createQuestDbTablePrefix('swfault');
  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 2, label: 'swfault' });
    query = new QuestDbQuery({ connectionString: serviceEnv().questdbPg });
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
  });
  afterAll(async () => {
    await writer?.stop().catch(() => undefined);
    await run('bash', [STACK, 'start', 'questdb']).catch(() => undefined);
    await producer?.disconnect();
    await table.cleanup().catch(() => undefined);
    await query?.close();
    await topics?.cleanup();
  });

  it('pauses, loses nothing and catches up by itself', async () => {
    writer = await startWriter({
      kafka: topics.kafka,
      topicPrefix: topics.prefix,
      tablePrefix: table.prefix,
      query,
    });
    let produced = 0;
    let seq = 0;
    const produce = async (count: number) => {
      const batches = readingBatches(count, 50, seq);
      seq += count;
      await producer.send(
        'readings',
        batches.map((b) => ({ key: b.enterpriseId, value: b })),
      );
      produced += count * 50;
    };
    await produce(20);
    await waitFor(
      async () => (await metricTotal(writer!.registry, 'yujing_store_writer_rows_written_total')) > 0,
      {
        message: 'first rows written',
      },
    );

    // QuestDB goes away for 15 s (the script stops it, waits, starts it); records keep arriving.
    const bounce = run('bash', [STACK, 'bounce', 'questdb', '15'], { timeout: 170_000 });
    await waitFor(async () => !(await query.ping()), { timeoutMs: 60_000, message: 'QuestDB is down' });
    await produce(40); // arrive during the outage
    await bounce;
    // The writer met the outage (failed writes counted, consumption paused) and did not crash. A write
    // that hung while QuestDB was stopping fails only at its request timeout, possibly after the restart,
    // so wait for the count instead of reading it once.
    await waitFor(
      async () => (await metricTotal(writer!.registry, 'yujing_store_writer_write_failures_total')) > 0,
      { timeoutMs: 30_000, message: 'a failed QuestDB write counted during the outage' },
    );
    await produce(10);

    await waitFor(
      async () =>
        (await walApplied(query, writer!.tables.readings)) &&
        (await countRows(query, writer!.tables.readings)) === produced,
      { timeoutMs: 120_000, intervalMs: 500, message: `all ${produced} rows in QuestDB after the outage` },
    );
    expect(await countRows(query, writer.tables.readings)).toBe(produced);
    expect(await metricTotal(writer.registry, 'yujing_store_writer_paused')).toBe(0);
    expect(writer.app.ready()).toBe(true);
  });
});
