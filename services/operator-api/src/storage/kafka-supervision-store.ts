import { randomUUID } from 'node:crypto';
import { decodeJson, type TypedProducer, topicName } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import {
  type SupervisionRecord,
  SupervisionRecord as SupervisionRecordSchema,
  supervisionKey,
} from '@yujing/schemas';
import type { Consumer, Kafka } from 'kafkajs';
import { ProjectedSupervisionStore, type WriteOutcome } from './supervision-store';

export interface KafkaSupervisionStoreOptions {
  kafka: Kafka;
  producer: TypedProducer;
  prefix: string;
  logger: Logger;
  /** How long a write waits to read its record back (ms). */
  readBackMs?: number;
}

/**
 * The supervision store on the compacted topic `yj.supervision.v1` (ADR 0003): every instance reads
 * the whole topic into its projection (a fresh group, from the beginning, like the registry reader)
 * and writes with acks = all. The log orders concurrent writes: the first record of a version wins.
 */
export class KafkaSupervisionStore extends ProjectedSupervisionStore {
  readonly #opts: KafkaSupervisionStoreOptions;
  readonly #topic: string;
  readonly #log: Logger;
  readonly #waiters = new Map<string, Set<(stored: SupervisionRecord) => void>>();
  #consumer: Consumer | undefined;
  #ready = false;

  constructor(opts: KafkaSupervisionStoreOptions) {
    super();
    this.#opts = opts;
    this.#topic = topicName('supervision', opts.prefix);
    this.#log = opts.logger.child({ component: 'supervision-store' });
  }

  get ready() {
    return this.#ready;
  }

  /** Resolves once the topic has been read up to its high watermark at start. */
  async start(): Promise<void> {
    const offsets = await this.#highWatermarks();
    const pending = new Set(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => o.partition));
    const targets = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    let loaded!: () => void;
    const initial = new Promise<void>((r) => {
      loaded = r;
    });
    const done = () => {
      if (!this.#ready && pending.size === 0) {
        this.#ready = true;
        loaded();
      }
    };
    const consumer = this.#opts.kafka.consumer({
      groupId: `yj-supervision-reader-${randomUUID()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.#topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) this.#apply(m.value, m.offset);
        const last = batch.messages.at(-1);
        const target = targets.get(batch.partition);
        if (last && target !== undefined && BigInt(last.offset) + 1n >= target)
          pending.delete(batch.partition);
        done();
      },
    });
    done();
    await initial;
    this.#log.info(
      { hazards: this.hazards().length, inspections: this.inspections().length },
      'supervision store loaded',
    );
  }

  /**
   * Offsets of the topic. Right after it was created the broker may not have elected its leader yet
   * (NOT_LEADER_FOR_PARTITION), so this retries with backoff for up to 30 s, like the registry reader.
   */
  async #highWatermarks(): Promise<Array<{ partition: number; high: string; low: string }>> {
    const deadline = Date.now() + 30_000;
    const admin = this.#opts.kafka.admin();
    await admin.connect();
    try {
      for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2000)) {
        try {
          return await admin.fetchTopicOffsets(this.#topic);
        } catch (err) {
          if (Date.now() + delayMs > deadline) throw err;
          this.#log.warn(
            { err: (err as Error).message, retryInMs: delayMs },
            'supervision offsets not available yet, retrying',
          );
          await new Promise((r) => setTimeout(r, delayMs));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  #apply(value: Buffer | null, offset: string): void {
    if (value === null) return;
    const decoded = decodeJson(SupervisionRecordSchema, value);
    if (!decoded.ok) {
      this.#log.error({ offset, reason: decoded.reason }, 'supervision record skipped');
      return;
    }
    const record = decoded.value;
    const stored = this.projection.apply(record);
    const key = `${supervisionKey(record)}@${record.version}`;
    for (const w of this.#waiters.get(key) ?? []) w(stored);
  }

  async write(record: SupervisionRecord): Promise<WriteOutcome> {
    const key = `${supervisionKey(record)}@${record.version}`;
    const waitMs = this.#opts.readBackMs ?? 10_000;
    let settle!: (s: SupervisionRecord) => void;
    const stored = new Promise<SupervisionRecord>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#unwait(key, settle);
        reject(new Error(`record ${key} not read back within ${waitMs} ms`));
      }, waitMs);
      settle = (s) => {
        clearTimeout(timer);
        this.#unwait(key, settle);
        resolve(s);
      };
    });
    const set = this.#waiters.get(key) ?? new Set();
    set.add(settle);
    this.#waiters.set(key, set);
    try {
      await this.#opts.producer.send('supervision', [{ key: supervisionKey(record), value: record }]);
    } catch (err) {
      settle(record);
      throw err;
    }
    const s = await stored;
    return s.writeId === record.writeId && s.version === record.version ? 'written' : 'conflict';
  }

  #unwait(key: string, fn: (s: SupervisionRecord) => void): void {
    const set = this.#waiters.get(key);
    set?.delete(fn);
    if (set?.size === 0) this.#waiters.delete(key);
  }

  async stop(): Promise<void> {
    const c = this.#consumer;
    this.#consumer = undefined;
    await c?.disconnect();
  }
}
