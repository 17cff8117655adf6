import { createKafka, deleteTopicsWithPrefix, ensureTopics, TOPICS, type TopicId } from '@yujing/kafka';
import { createLogger } from '@yujing/logger';
import type { Kafka } from 'kafkajs';
import { serviceEnv } from './service-env';
import { uniqueId } from './unique-id';

export interface TestTopics {
  /** Prefix of every topic, e.g. "t-3f2a9c." (pass it as TOPIC_PREFIX / `prefix`). */
  prefix: string;
  kafka: Kafka;
  /** Deletes every topic with the prefix. */
  cleanup(): Promise<void>;
}

/** A kafkajs client on the real test broker, logging warnings only. */
export function testKafka(clientId = uniqueId('test')): Kafka {
  return createKafka({
    clientId,
    brokers: serviceEnv().kafkaBrokers,
    logger: createLogger({ service: 'testkit', level: 'warn' }),
  });
}

/**
 * Creates every catalogue topic under a unique prefix on the real broker, with few partitions
 * (3 by default) so group rebalances stay quick. Call `cleanup()` in afterAll.
 */
export async function createTestTopics(
  opts: { partitions?: number; label?: string } = {},
): Promise<TestTopics> {
  const prefix = `${uniqueId(opts.label ?? 't')}.`;
  const kafka = testKafka();
  const count = opts.partitions ?? 3;
  const partitions = Object.fromEntries(
    (Object.keys(TOPICS) as TopicId[]).map((id) => [id, Math.min(count, TOPICS[id].partitions)]),
  ) as Record<TopicId, number>;
  await ensureTopics(kafka, { prefix, partitions });
  return { prefix, kafka, cleanup: () => deleteTopicsWithPrefix(kafka, prefix) };
}

/** A consumer group id nobody else uses. */
export function uniqueGroupId(label = 'group'): string {
  return uniqueId(label);
}
