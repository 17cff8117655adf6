import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { TypedProducer, topicName } from '@yujing/kafka';
import type { AlarmTransitionEvent, ReadingBatch } from '@yujing/schemas';
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
import {
  expectedTransitions,
  publishTestRegistry,
  rampStream,
  spawnWorker,
  stableMembers,
  testLogger,
  testRegistry,
  transitionKey,
  workerConfig,
  workerEnv,
} from './worker-harness';

const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);

describe('rules-worker recovery and scaling', () => {
  let topics: TestTopics;
  let producer: TypedProducer;
  let alarms: TopicCollector;
  const doc = testRegistry(8);
  const enterprises = doc.enterprises.map((e) => e.id);
  const children: ChildProcess[] = [];
  const workers: RulesWorker[] = [];

  beforeEach(async () => {
    topics = await createTestTopics({ partitions: 4, label: 'rulesrec' });
    await publishTestRegistry(topics.kafka, topics.prefix, doc);
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    alarms = await new TopicCollector(topics.kafka, topicName('alarms', topics.prefix)).start();
  });

  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const w of workers.splice(0)) await w.stop();
    await alarms.stop();
    await producer.disconnect();
    await topics.cleanup();
  });

  const send = (batches: readonly ReadingBatch[]) =>
    producer.send(
      'readings',
      batches.map((b) => ({ key: b.enterpriseId, value: b })),
    );

  /** Waits until every expected transition arrived, then checks nothing arrived twice or unexpectedly. */
  async function expectExactly(expected: AlarmTransitionEvent[]) {
    const want = new Set(expected.map(transitionKey));
    await alarms.until(
      () => {
        const got = new Set(alarms.json<AlarmTransitionEvent>().map(transitionKey));
        return [...want].every((k) => got.has(k));
      },
      { timeoutMs: 60_000, message: `not every expected transition arrived (${want.size} expected)` },
    );
    const got = alarms.json<AlarmTransitionEvent>().map(transitionKey);
    expect(got.length).toBe(new Set(got).size); // no duplicate (alarmId, seq)
    expect(new Set(got)).toEqual(want);
    // Per alarm id: one episode, seq 0 is its raise and seqs run 0..n-1 without a gap or repeat.
    const seqs = new Map<string, number[]>();
    for (const t of alarms.json<AlarmTransitionEvent>())
      seqs.set(t.alarmId, [...(seqs.get(t.alarmId) ?? []), t.seq]);
    for (const [alarmId, list] of seqs) {
      expect([alarmId, [...list].sort((a, b) => a - b)]).toEqual([alarmId, list.map((_, i) => i)]);
    }
    expect(
      alarms
        .json<AlarmTransitionEvent>()
        .filter((t) => t.seq === 0)
        .every((t) => t.transition === 'raise'),
    ).toBe(true);
  }

  it('SIGKILL mid-stream and restart: no duplicate alarm ids and no lost transition', async () => {
    const groupId = uniqueGroupId('rules-kill');
    const env = workerEnv(topics.prefix, groupId);
    const stream = rampStream(enterprises, 40, T0);
    const expected = expectedTransitions(doc, stream);
    expect(expected.length).toBeGreaterThan(100);

    const first = spawnWorker(env);
    children.push(first);
    await waitFor(() => stableMembers(topics.kafka, groupId).then((n) => n === 1), {
      timeoutMs: 60_000,
      message: 'child worker never joined its group',
    });
    await send(stream.slice(0, stream.length / 2));
    await alarms.until((rs) => rs.length >= 20, { message: 'child worker emitted nothing before the kill' });
    first.kill('SIGKILL');
    await once(first, 'exit');
    await send(stream.slice(stream.length / 2));

    children.push(spawnWorker(env));
    await expectExactly(expected);
  });

  it('two workers split the partitions and a third joining mid-stream causes no duplicates', async () => {
    const groupId = uniqueGroupId('rules-scale');
    const stream = rampStream(enterprises, 30, T0);
    const expected = expectedTransitions(doc, stream);
    const start = async () => {
      const w = build({
        config: workerConfig(topics.prefix, groupId),
        logger: testLogger(),
        kafka: testKafka(),
      });
      workers.push(w);
      await w.start();
      return w;
    };
    const owned = () => workers.map((w) => w.ownedPartitions());
    const split = (n: number) => {
      const parts = owned();
      const all = parts.flat();
      return (
        parts.length === n && parts.every((p) => p.length > 0) && all.length === 4 && new Set(all).size === 4
      );
    };

    await start();
    await start();
    await waitFor(() => split(2), {
      timeoutMs: 60_000,
      message: `partitions never split between 2 workers: ${JSON.stringify(owned())}`,
    });
    expect(owned().map((p) => p.length)).toEqual([2, 2]);

    await send(stream.slice(0, stream.length / 2));
    await alarms.until((rs) => rs.length >= 20, { message: 'no transitions from the first two workers' });
    await start();
    await send(stream.slice(stream.length / 2));
    await waitFor(() => split(3), {
      timeoutMs: 60_000,
      message: `third worker never got a partition: ${JSON.stringify(owned())}`,
    });
    await expectExactly(expected);
  });
});
