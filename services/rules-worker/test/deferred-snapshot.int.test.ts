import { loadConfig } from '@yujing/config';
import { TypedProducer, topicName } from '@yujing/kafka';
import type { AlarmTransitionEvent } from '@yujing/schemas';
import {
  createTestTopics,
  type TestTopics,
  TopicCollector,
  testKafka,
  uniqueGroupId,
  waitFor,
} from '@yujing/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, type RulesWorker } from '../src/app';
import { RulesWorkerConfig } from '../src/config';
import {
  batchOf,
  expectedTransitions,
  publishTestRegistry,
  testLogger,
  testRegistry,
  transitionKey,
  workerEnv,
} from './worker-harness';

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const HOUR = 3_600_000;

describe('rules-worker deferred snapshots (ADR 0001)', () => {
  let topics: TestTopics;
  let producer: TypedProducer;
  let alarms: TopicCollector;
  const doc = testRegistry(1);
  const eid = doc.enterprises[0]!.id;
  const workers: RulesWorker[] = [];

  beforeEach(async () => {
    topics = await createTestTopics({ partitions: 4, label: 'rulesdefer' });
    await publishTestRegistry(topics.kafka, topics.prefix, doc);
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    alarms = await new TopicCollector(topics.kafka, topicName('alarms', topics.prefix)).start();
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
    await alarms.stop();
    await producer.disconnect();
    await topics.cleanup();
  });

  const start = async (groupId: string, env: Record<string, string> = {}) => {
    const config = loadConfig(RulesWorkerConfig, { ...workerEnv(topics.prefix, groupId), ...env });
    const w = build({ config, logger: testLogger(), kafka: testKafka() });
    workers.push(w);
    await w.start();
    await waitFor(() => w.ownedPartitions().length === 4, {
      timeoutMs: 30_000,
      message: 'worker never owned the 4 partitions',
    });
    return w;
  };
  const readingsEvaluated = async (w: RulesWorker) =>
    (await w.metricsRegistry.getSingleMetric('yujing_rules_readings_total')!.get()).values[0]?.value ?? 0;
  const stateRecords = async () => {
    const admin = topics.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topicName('rulesState', topics.prefix));
      return offsets.reduce((n, o) => n + Number(o.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  it('a record that emitted nothing is replayed after a restart instead of snapshotted, so its silent hold still de-escalates', async () => {
    const groupId = uniqueGroupId('rules-defer');
    const raise = batchOf(eid, 0, T0, { 'CO-1': 200 }); // hh: raise at level 1
    const hold = batchOf(eid, 1, T0 + 10_000, { 'CO-1': 30 }); // h only: starts the 1 h de-escalation hold silently
    const after = batchOf(eid, 2, T0 + 2 * HOUR, { 'CO-1': 30 }); // hold elapsed since `hold`: de-escalate
    const expected = expectedTransitions(doc, [raise, hold, after]);
    expect(expected.map((t) => t.transition)).toEqual(['raise', 'deescalate']);
    expect(expectedTransitions(doc, [raise, after]).map((t) => t.transition)).toEqual(['raise']);

    // No wall-clock pass in the first worker: only transitions write snapshots.
    const first = await start(groupId, { TICK_INTERVAL_MS: '1h' });
    await producer.send('readings', [{ key: eid, value: raise }]);
    await alarms.until(1, { message: 'no raise' });
    await producer.send('readings', [{ key: eid, value: hold }]);
    await waitFor(async () => (await readingsEvaluated(first)) === 2, {
      timeoutMs: 30_000,
      message: 'the first worker never evaluated the silent record',
    });
    workers.splice(workers.indexOf(first), 1);
    await first.stop(); // writes nothing more: the silent record's effect lives only in memory
    expect(await stateRecords()).toBe(1);

    await start(groupId);
    await producer.send('readings', [{ key: eid, value: after }]);
    await alarms.until(2, { timeoutMs: 30_000, message: 'no de-escalation after the restart' });
    const got = alarms.json<AlarmTransitionEvent>().map(transitionKey);
    expect(got).toEqual(expected.map(transitionKey));
  });
});
