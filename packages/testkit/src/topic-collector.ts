import type { Consumer, Kafka } from 'kafkajs';
import { uniqueGroupId } from './test-kafka';
import { waitFor } from './wait-for';

/** One consumed record, decoded enough to assert on. */
export interface CollectedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export type CollectUntil = number | ((records: readonly CollectedRecord[]) => boolean);

export interface CollectOptions {
  /** Deadline for the condition (default 30 s). */
  timeoutMs?: number;
  /** Start from the beginning of the topic (default true). */
  fromBeginning?: boolean;
  message?: string;
}

/**
 * Collects every record of one topic with a consumer of its own (unique group). Start it,
 * produce, then `until(n | predicate)`; always `stop()` it.
 */
export class TopicCollector {
  readonly records: CollectedRecord[] = [];
  readonly #consumer: Consumer;
  #started = false;

  constructor(
    kafka: Kafka,
    readonly topic: string,
    readonly groupId = uniqueGroupId('collector'),
  ) {
    this.#consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 200,
    });
  }

  async start(fromBeginning = true): Promise<this> {
    await this.#consumer.connect();
    this.#started = true;
    await this.#consumer.subscribe({ topic: this.topic, fromBeginning });
    await this.#consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
        }
        this.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value,
          headers,
          timestamp: message.timestamp,
        });
      },
    });
    return this;
  }

  /** Waits until `until` holds (a count or a predicate over all records so far). */
  async until(until: CollectUntil, opts: CollectOptions = {}): Promise<CollectedRecord[]> {
    const done = typeof until === 'number' ? (r: readonly CollectedRecord[]) => r.length >= until : until;
    await waitFor(() => done(this.records), {
      timeoutMs: opts.timeoutMs ?? 30_000,
      intervalMs: 100,
      message: opts.message ?? `${this.topic}: condition not met (${this.records.length} records collected)`,
    });
    return [...this.records];
  }

  /** Values decoded as JSON. */
  json<T = unknown>(): T[] {
    return this.records.map((r) => JSON.parse(r.value ? r.value.toString('utf8') : 'null') as T);
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.#consumer.disconnect();
  }
}

/**
 * Collects records from `topic` (full name) until a count or predicate holds, with a deadline,
 * then disconnects. For records produced before the call (it reads from the beginning).
 */
export async function consumeUntil(
  kafka: Kafka,
  topic: string,
  until: CollectUntil,
  opts: CollectOptions = {},
): Promise<CollectedRecord[]> {
  const collector = await new TopicCollector(kafka, topic).start(opts.fromBeginning ?? true);
  try {
    return await collector.until(until, opts);
  } finally {
    await collector.stop();
  }
}
