import type { Admin, Kafka } from 'kafkajs';
import { platformInboundTopic } from './topic-access';
import { TOPICS, type TopicId, topicName } from './topic-catalogue';

export interface EnsureTopicsOptions {
  prefix?: string;
  /** Which topics; all of the catalogue by default. */
  topics?: readonly TopicId[];
  /** Override partition counts (tests use fewer to keep rebalances quick). */
  partitions?: Partial<Record<TopicId, number>>;
  replicationFactor?: number;
  /** Also each platform's own inbound topic `yj.telemetry.inbound.v1.<id>` (spec of telemetryInbound). */
  platforms?: readonly string[];
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
    const wanted = [
      ...ids.map((id) => ({ id, name: topicName(id, opts.prefix) })),
      ...(opts.platforms ?? []).map((p) => ({
        id: 'telemetryInbound' as const,
        name: platformInboundTopic(p, opts.prefix),
      })),
    ].filter(({ name }) => !existing.has(name));
    if (wanted.length > 0) {
      // kafkajs' own waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker
      // answers for a moment after creation; wait for the leaders ourselves instead.
      await admin.createTopics({
        waitForLeaders: false,
        topics: wanted.map(({ id, name }) => ({
          topic: name,
          numPartitions: opts.partitions?.[id] ?? TOPICS[id].partitions,
          replicationFactor: opts.replicationFactor ?? 1,
          configEntries: Object.entries(TOPICS[id].config).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(
        admin,
        wanted.map((w) => w.name),
      );
    }
    return wanted.map((w) => w.name);
  } finally {
    await admin.disconnect();
  }
}

/** Polls metadata until every partition of the topics has a leader (deadline 30 s). */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics });
      const ready = meta.topics.every(
        (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
      );
      if (ready && meta.topics.length === topics.length) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`, {
        cause: lastError,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
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
