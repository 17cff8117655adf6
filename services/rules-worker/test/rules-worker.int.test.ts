import { TypedProducer, topicName } from '@yujing/kafka';
import type { AlarmCommandResult, AlarmTransitionEvent } from '@yujing/schemas';
import {
  createTestTopics,
  type TestTopics,
  TopicCollector,
  testKafka,
  uniqueGroupId,
  waitFor,
} from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type RulesWorker } from '../src/app';
import { batchOf, publishTestRegistry, testLogger, testRegistry, workerConfig } from './worker-harness';

describe('rules-worker with the real Kafka', () => {
  let topics: TestTopics;
  let worker: RulesWorker;
  let producer: TypedProducer;
  let alarms: TopicCollector;
  let results: TopicCollector;
  const doc = testRegistry(2);
  const eid = doc.enterprises[0]!.id;

  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 4, label: 'rules' });
    await publishTestRegistry(topics.kafka, topics.prefix, doc);
    worker = build({
      config: workerConfig(topics.prefix, uniqueGroupId('rules')),
      logger: testLogger(),
      kafka: testKafka(),
    });
    await worker.start();
    await waitFor(() => worker.ownedPartitions().length === 4, {
      timeoutMs: 30_000,
      message: 'worker never owned the 4 partitions',
    });
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
    alarms = await new TopicCollector(topics.kafka, topicName('alarms', topics.prefix)).start();
    results = await new TopicCollector(topics.kafka, topicName('alarmCommandResults', topics.prefix)).start();
  });

  afterAll(async () => {
    await alarms?.stop();
    await results?.stop();
    await producer?.disconnect();
    await worker?.stop();
    await topics?.cleanup();
  });

  const transitions = () =>
    alarms.json<AlarmTransitionEvent>().filter((t) => t.enterpriseId === eid && t.point === 'CO-1');

  it('a CO ramp raises level 3, escalates to level 1, an ack makes it active-ack, and it clears after the deadband', async () => {
    const t0 = Date.UTC(2026, 10, 28, 2, 0, 0);
    const send = (i: number, v: number) =>
      producer.send('readings', [{ key: eid, value: batchOf(eid, i, t0 + i * 10_000, { 'CO-1': v }) }]);
    for (const [i, v] of [10, 20, 30, 100, 200].entries()) await send(i, v);
    await alarms.until(() => transitions().length >= 2, { message: 'no raise + escalate on the CO ramp' });
    expect(transitions().map((t) => `${t.transition}:${t.state}:L${t.level}`)).toEqual([
      'raise:active-unack:L3',
      'escalate:active-unack:L1',
    ]);
    const alarmId = transitions()[0]!.alarmId;
    expect(alarmId).toBe(`${eid}:CO-1:co-limits:${t0 + 20_000}`);

    await producer.send('alarmCommands', [
      {
        key: eid,
        value: {
          commandId: 'cmd-int-ack-0001',
          alarmId,
          enterpriseId: eid,
          action: 'ack',
          actor: { id: 'op-1', role: 'operator' },
          issuedAt: Date.now(),
        },
      },
    ]);
    await alarms.until(() => transitions().length >= 3, { message: 'no ack transition' });
    expect(transitions()[2]).toMatchObject({
      transition: 'ack',
      state: 'active-ack',
      actor: { id: 'op-1', role: 'operator' },
    });
    const [result] = await results.until(1).then(() => results.json<AlarmCommandResult>());
    expect(result).toMatchObject({ commandId: 'cmd-int-ack-0001', ok: true, alarmId });

    for (const [i, v] of [
      [5, 150],
      [6, 22],
      [7, 20.5],
    ] as const)
      await send(i, v);
    // Nothing new while inside the deadband (20 < v), then the clear:
    await send(8, 19);
    await alarms.until(() => transitions().length >= 4, { message: 'no clear after the deadband' });
    expect(transitions()[3]).toMatchObject({ transition: 'clear', state: 'normal', eventTime: t0 + 80_000 });
  });

  it('refuses a close before verify with YJ_ERR_ALARM_LOOP_ORDER on the results topic', async () => {
    const alarmId = transitions()[0]!.alarmId;
    await producer.send('alarmCommands', [
      {
        key: eid,
        value: {
          commandId: 'cmd-int-close-001',
          alarmId,
          enterpriseId: eid,
          action: 'close',
          actor: { id: 'reg-1', role: 'regulator' },
          issuedAt: Date.now(),
        },
      },
    ]);
    await results.until((rs) => rs.length >= 2);
    expect(results.json<AlarmCommandResult>()[1]).toMatchObject({
      commandId: 'cmd-int-close-001',
      ok: false,
      code: 'YJ_ERR_ALARM_LOOP_ORDER',
    });
  });

  it('serves /readyz and Prometheus metrics with the readings and transitions counted', async () => {
    const { startOpsServer } = await import('@yujing/service-runtime');
    const ops = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry: worker.metricsRegistry,
      readiness: worker.readiness,
    });
    try {
      const ready = await ops.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      const text = (await ops.inject({ method: 'GET', url: '/metrics' })).body;
      const readings = Number(/^yujing_rules_readings_total\{[^}]*\} (\d+)/m.exec(text)?.[1]);
      expect(readings).toBeGreaterThanOrEqual(9);
      expect(text).toMatch(
        /yujing_rules_transitions_total\{[^}]*kind="threshold"[^}]*transition="raise"[^}]*level="3"/,
      );
    } finally {
      await ops.close();
    }
  });

  it('dead-letters a record that is not a reading batch and keeps going', async () => {
    const dead = await new TopicCollector(topics.kafka, topicName('deadLetter', topics.prefix)).start();
    try {
      await producer.raw.send({
        topic: topicName('readings', topics.prefix),
        messages: [{ key: eid, value: '{"v":1,"readings":[]}' }],
      });
      await dead.until(1, { message: 'nothing dead-lettered' });
      const [record] = dead.json<{ source: string; reason: string; issues: Array<{ path: string }> }>();
      expect(record!.source).toBe('rules-worker');
      expect(record!.reason).toBe('schema');
      expect(record!.issues.map((i) => i.path)).toContain('enterpriseId');
    } finally {
      await dead.stop();
    }
  });
});
