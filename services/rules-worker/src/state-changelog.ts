import { randomUUID } from 'node:crypto';
import type { Logger } from '@yujing/logger';
import type { StateSnapshot } from '@yujing/rules-core';
import type { Consumer, Kafka } from 'kafkajs';
import { rulesWorkerErrors } from './rules-worker-errors';

/**
 * Value of a `yj.rules-state.v1` record (key enterpriseId, compacted): the enterprise's engine
 * state and the input offsets it reflects. Records of that enterprise below `readingsNext` /
 * `commandsNext` are already in the state (and their transitions were sent with it).
 */
export interface StateRecord {
  v: 1;
  enterpriseId: string;
  readingsNext: string;
  commandsNext: string;
  writtenAt: number;
  state: StateSnapshot;
}

/**
 * Follows the whole state changelog from the beginning (its own consumer group, never
 * committing) and keeps the latest record of every enterprise with its partition — a warm
 * standby of every partition's state. A newly assigned partition is restored from here once the
 * follower has caught up to the changelog's high watermark at assignment time.
 */
export class StateChangelog {
  readonly #latest = new Map<string, { partition: number; value: Buffer }>();
  readonly #position = new Map<number, bigint>();
  readonly #log: Logger;
  #consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    readonly topic: string,
    logger: Logger,
  ) {
    this.#log = logger.child({ component: 'state-changelog', topic });
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `yj-rules-state-follower-${randomUUID()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const key = m.key?.toString('utf8');
          if (key === undefined) continue;
          if (m.value === null) this.#latest.delete(key);
          else this.#latest.set(key, { partition: batch.partition, value: m.value });
        }
        const last = batch.messages.at(-1);
        if (last) this.#position.set(batch.partition, BigInt(last.offset) + 1n);
      },
    });
  }

  /** Waits until every given partition has been read up to its current high watermark. */
  async waitCaughtUp(partitions: readonly number[], timeoutMs: number): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    let targets: Map<number, bigint>;
    try {
      const offsets = await admin.fetchTopicOffsets(this.topic);
      targets = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } finally {
      await admin.disconnect();
    }
    const deadline = Date.now() + timeoutMs;
    const behind = () => partitions.filter((p) => (this.#position.get(p) ?? 0n) < (targets.get(p) ?? 0n));
    while (behind().length > 0) {
      if (Date.now() > deadline) {
        throw rulesWorkerErrors.YJ_ERR_RULES_RESTORE_TIMEOUT(undefined, {
          context: { partitions: behind() },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The latest state record of every enterprise on a partition. */
  recordsOf(partition: number): StateRecord[] {
    const out: StateRecord[] = [];
    for (const [key, entry] of this.#latest) {
      if (entry.partition !== partition) continue;
      try {
        out.push(JSON.parse(entry.value.toString('utf8')) as StateRecord);
      } catch (err) {
        this.#log.error({ enterpriseId: key, partition, err }, 'unreadable state record skipped');
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    if (consumer) await consumer.disconnect();
  }
}
