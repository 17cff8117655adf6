import type { Logger } from '@yujing/logger';
import type { Batch, Consumer, ConsumerConfig, Kafka } from 'kafkajs';

/** What a batch handler may do besides reading the records. */
export interface BatchContext {
  /** Keeps the group membership alive during long handlers (call between slow steps). */
  heartbeat(): Promise<void>;
  /** False once `stop()` was called or the partition was revoked: retry loops must give up. */
  isRunning(): boolean;
  /** Stops fetching from every subscribed topic (the in-flight batch continues). */
  pause(): void;
  /** Fetches again after `pause()`. */
  resume(): void;
}

export type BatchHandler = (batch: Batch, ctx: BatchContext) => Promise<void>;

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  /** Full (already prefixed) topic names. */
  topics: readonly string[];
  eachBatch: BatchHandler;
  logger: Logger;
  /** Where a new group starts; true for sinks that must see everything retained. */
  fromBeginning?: boolean;
  /** Partitions handled in parallel (≤ partitions, usually ≤ cores). */
  partitionsConsumedConcurrently?: number;
  /** Passed through to kafkajs (sessionTimeout, maxBytesPerPartition, maxWaitTimeInMs …). */
  consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

export interface BatchConsumer {
  readonly consumer: Consumer;
  /** Resolves once the consumer has joined the group the first time. */
  readonly joined: Promise<void>;
  pause(): void;
  resume(): void;
  isPaused(): boolean;
  /** Lets the in-flight batch finish (its offsets are committed if it succeeded), then leaves and disconnects. */
  stop(): Promise<void>;
}

/**
 * A consumer-group member that hands whole batches to `eachBatch` and commits a partition's
 * offsets only after the handler resolved for that batch (at-least-once: a handler that throws
 * or is interrupted leaves the offsets where they were, so the records are delivered again).
 * Auto-commit is off; nothing is committed ahead of the work.
 */
export async function runBatchConsumer(opts: BatchConsumerOptions): Promise<BatchConsumer> {
  const log = opts.logger.child({ component: 'batch-consumer', groupId: opts.groupId });
  const consumer = opts.kafka.consumer({ ...opts.consumerConfig, groupId: opts.groupId });
  let running = true;
  let paused = false;
  let resolveJoined!: () => void;
  const joined = new Promise<void>((resolve) => {
    resolveJoined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    log.info({ memberAssignment: e.payload.memberAssignment }, 'joined consumer group');
    resolveJoined();
  });
  consumer.on(consumer.events.CRASH, (e) => {
    log.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
  });

  const subscribed = () => opts.topics.map((topic) => ({ topic }));
  const pause = () => {
    if (paused) return;
    paused = true;
    consumer.pause(subscribed());
    log.warn({ topics: opts.topics }, 'consumption paused');
  };
  const resume = () => {
    if (!paused) return;
    paused = false;
    consumer.resume(subscribed());
    log.info({ topics: opts.topics }, 'consumption resumed');
  };

  await consumer.connect();
  await consumer.subscribe({ topics: [...opts.topics], fromBeginning: opts.fromBeginning ?? false });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary }) => {
      if (batch.isEmpty() || !running || !isRunning() || isStale()) return;
      const ctx: BatchContext = {
        heartbeat,
        isRunning: () => running && isRunning() && !isStale(),
        pause,
        resume,
      };
      await opts.eachBatch(batch, ctx);
      // The handler resolved: the whole batch is done. Commit next offset = last + 1.
      const last = batch.lastOffset();
      resolveOffset(last);
      // Explicit offsets go straight to the group coordinator, also while stop() waits for this
      // batch (consumer.commitOffsets would silently skip once the runner is stopping).
      await commitOffsetsIfNecessary({
        topics: [
          {
            topic: batch.topic,
            partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }],
          },
        ],
      });
    },
  });

  return {
    consumer,
    joined,
    pause,
    resume,
    isPaused: () => paused,
    async stop() {
      running = false;
      // kafkajs' stop waits for the running eachBatch to return, then leaves the group.
      try {
        await consumer.stop();
      } finally {
        await consumer.disconnect();
        log.info('consumer stopped');
      }
    },
  };
}
