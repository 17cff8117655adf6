import type { Kafka } from 'kafkajs';
import { TOPICS, type TopicId, topicName } from './topic-catalogue';

export interface EnsureTopicsOptions {
  prefix?: string;
  /** Which topics; all of the catalogue by default. */
  topics?: readonly TopicId[];
  /** Override partition counts (tests use fewer to keep rebalances quick). */
  partitions?: Partial<Record<TopicId, number>>;
  replicationFactor?: number;
}

/**
 * Creates the catalogue's topics if they do not exist. Idempotent: existing topics are left as
 * they are; a concurrent creator winning the race is not an error.
 */
export async function ensureTopics(kafka: Kafka, opts: EnsureTopicsOptions = {}): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ids = opts.topics ?? (Object.keys(TOPICS) as TopicId[]);
    const existing = new Set(await admin.listTopics());
    const wanted = ids
      .map((id) => ({ id, name: topicName(id, opts.prefix) }))
      .filter(({ name }) => !existing.has(name));
    if (wanted.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: wanted.map(({ id, name }) => ({
          topic: name,
          numPartitions: opts.partitions?.[id] ?? TOPICS[id].partitions,
          replicationFactor: opts.replicationFactor ?? 1,
          configEntries: Object.entries(TOPICS[id].config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    return wanted.map((w) => w.name);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic whose name starts with the prefix (test clean-up). Refuses an empty prefix. */
export async function deleteTopicsWithPrefix(kafka: Kafka, prefix: string): Promise<void> {
  if (!prefix) throw new Error('refusing to delete topics without a prefix');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
