import { TypedProducer } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import { createTestTopics, type TestTopics } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSupervisionStore } from '../src/storage/kafka-supervision-store';
import { hazardFixture } from './supervision-fixtures';

const logger = createLogger({ service: 'supervision-store-test', level: 'warn' });
const AT = Date.parse('2026-12-01T02:00:00Z');

/** Two API instances writing the same hazard at once, on the real Kafka: the log decides, once. */
describe('KafkaSupervisionStore', () => {
  let topics: TestTopics;
  let producer: TypedProducer;
  const stores: KafkaSupervisionStore[] = [];
  const open = async () => {
    const s = new KafkaSupervisionStore({ kafka: topics.kafka, producer, prefix: topics.prefix, logger });
    stores.push(s);
    await s.start();
    return s;
  };

  beforeAll(async () => {
    topics = await createTestTopics({ partitions: 1, label: 'supervision' });
    producer = new TypedProducer(topics.kafka, { prefix: topics.prefix });
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.allSettled(stores.map((s) => s.stop()));
    await producer.disconnect();
    await topics.cleanup();
  });

  it('stores the first write of a version, answers conflict to the other, and a new reader sees the winner', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const v1 = hazardFixture('140105TY001', 'hz-race', 'reported', AT);
    expect(await a.write(v1)).toBe('written');
    const byA = { ...v1, version: 2, writeId: 'from-a', state: 'confirmed' as const };
    const byB = { ...v1, version: 2, writeId: 'from-b', state: 'rejected' as const };
    const outcomes = await Promise.all([a.write(byA), b.write(byB)]);
    expect([...outcomes].sort()).toEqual(['conflict', 'written']);
    const winner = outcomes[0] === 'written' ? byA : byB;
    expect(a.hazard('hz-race')?.writeId).toBe(winner.writeId);
    expect(b.hazard('hz-race')?.writeId).toBe(winner.writeId);
    const c = await open();
    expect(c.hazard('hz-race')).toMatchObject({ version: 2, writeId: winner.writeId, state: winner.state });
  });
});
