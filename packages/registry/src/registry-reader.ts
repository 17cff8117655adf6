import { randomUUID } from 'node:crypto';
import { decodeJson, topicName } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { issuesToRecords, RegistryRecord } from '@yujing/schemas';
import type { Consumer, Kafka } from 'kafkajs';
import { registryErrors } from './registry-errors';
import { RegistryStore } from './registry-store';

/** How long start() keeps retrying while the registry topic's partitions have no leader yet. */
const FETCH_OFFSETS_DEADLINE_MS = 60_000;

export interface RegistryReaderOptions {
  kafka: Kafka;
  /** Topic prefix of the deployment or test ('' in production). */
  prefix?: string;
  logger: Logger;
  /** The store to fill; a new one by default. */
  store?: RegistryStore;
}

/**
 * Follows `yj.registry.v1` from the beginning into a RegistryStore and keeps it current (live
 * updates and tombstones). Each reader is its own consumer group that never commits, so every
 * start re-reads the compacted topic. `start()` resolves once the store has caught up to the
 * high watermarks seen at start. A record that does not fit its schema is logged and skipped
 * (counted in `invalidRecords`); the reader keeps going.
 */
export class RegistryReader {
  readonly store: RegistryStore;
  readonly #kafka: Kafka;
  readonly #topic: string;
  readonly #log: Logger;
  #consumer: Consumer | undefined;
  #ready = false;
  #invalid = 0;

  constructor(opts: RegistryReaderOptions) {
    this.#kafka = opts.kafka;
    this.#topic = topicName('registry', opts.prefix ?? '');
    this.#log = opts.logger.child({ component: 'registry-reader', topic: this.#topic });
    this.store = opts.store ?? new RegistryStore();
  }

  /** True once the initial load reached the high watermarks seen at start. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Records skipped because they did not fit the registry schemas. */
  get invalidRecords(): number {
    return this.#invalid;
  }

  async start(): Promise<void> {
    if (this.#consumer) throw registryErrors.YJ_ERR_REGISTRY_READER_STATE('registry reader already started');
    const offsets = await this.#fetchHighWatermarks();
    const targets = new Map(
      offsets
        .filter((o) => BigInt(o.high) > BigInt(o.low))
        .map((o) => [o.partition, BigInt(o.high)] as const),
    );
    const pending = new Set(targets.keys());
    let caughtUp!: () => void;
    const initialLoad = new Promise<void>((resolve) => {
      caughtUp = resolve;
    });
    const markIfDone = () => {
      if (!this.#ready && pending.size === 0) {
        this.#ready = true;
        this.#log.info(
          { version: this.store.version, enterprises: this.store.enterprises().length },
          'registry loaded',
        );
        caughtUp();
      }
    };

    const consumer = this.#kafka.consumer({
      groupId: `yj-registry-reader-${randomUUID()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 250,
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.#topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.#apply(message.key, message.value, message.offset);
        const target = targets.get(batch.partition);
        const last = batch.messages.at(-1);
        if (target !== undefined && last && BigInt(last.offset) + 1n >= target) {
          pending.delete(batch.partition);
          markIfDone();
        }
      },
    });
    markIfDone();
    await initialLoad;
  }

  /**
   * High watermarks of the registry topic. Right after the topic was created the broker may not
   * have elected its leader yet (NOT_LEADER_FOR_PARTITION), so this retries with backoff until
   * `FETCH_OFFSETS_DEADLINE_MS` instead of failing the service's start.
   */
  async #fetchHighWatermarks(): Promise<Array<{ partition: number; high: string; low: string }>> {
    const deadline = Date.now() + FETCH_OFFSETS_DEADLINE_MS;
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 2000)) {
        try {
          return await admin.fetchTopicOffsets(this.#topic);
        } catch (err) {
          if (Date.now() + delayMs > deadline) throw err;
          this.#log.warn({ err, retryInMs: delayMs }, 'registry offsets not available yet, retrying');
          await new Promise((r) => setTimeout(r, delayMs));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  #apply(keyBuf: Buffer | null, value: Buffer | null, offset: string): void {
    const key = keyBuf?.toString('utf8') ?? '';
    try {
      if (value === null) {
        this.store.apply(key, null);
        return;
      }
      const decoded = decodeJson(RegistryRecord, value);
      if (!decoded.ok) {
        this.#invalid++;
        this.#log.error(
          { key, offset, reason: decoded.reason, issues: issuesToRecords(decoded.issues) },
          'registry record skipped',
        );
        return;
      }
      this.store.apply(key, decoded.value);
    } catch (err) {
      this.#invalid++;
      this.#log.error({ key, offset, err }, 'registry record skipped');
    }
  }

  /** Leaves the group and disconnects; the store keeps its last view. */
  async stop(): Promise<void> {
    const consumer = this.#consumer;
    if (!consumer) return;
    this.#consumer = undefined;
    await consumer.disconnect();
  }
}
