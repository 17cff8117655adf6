import {
  type BatchConsumer,
  DeadLetterPublisher,
  runBatchConsumer,
  type TopicId,
  TypedProducer,
  topicName,
} from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import type { IlpWriter, TableNames } from '@yujing/questdb';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { BatchSink } from './batch-sink';
import type { StoreWriterConfig } from './config';
import { SINK_TOPICS, type SinkTopic } from './record-rows';
import { createStoreWriterMetrics } from './store-writer-metrics';

export interface StoreWriterDeps {
  config: Pick<
    StoreWriterConfig,
    | 'TOPIC_PREFIX'
    | 'CONSUMER_GROUP'
    | 'PARTITIONS_CONCURRENCY'
    | 'MAX_BYTES_PER_PARTITION'
    | 'FETCH_MAX_WAIT'
    | 'FETCH_MIN_BYTES'
    | 'WRITE_MAX_ROWS'
    | 'MAX_FUTURE'
    | 'RETRY_INITIAL'
    | 'RETRY_MAX'
  >;
  kafka: Kafka;
  writer: IlpWriter;
  tables: TableNames;
  logger: Logger;
  registry: Registry;
}

export interface StoreWriter {
  /** Connects the dead-letter producer and joins the consumer group. */
  start(): Promise<void>;
  /** Stop intake, finish (and commit) the in-flight batch, disconnect the producer. */
  stop(): Promise<void>;
  /** Ready = joined the group and the producer is connected. */
  ready(): boolean;
  /** Resolves when the consumer first joined its group (tests). */
  joined(): Promise<void>;
}

/** Builds store-writer from its clients; nothing starts until `start()`. */
export function buildStoreWriter(deps: StoreWriterDeps): StoreWriter {
  const { config, logger } = deps;
  const metrics = createStoreWriterMetrics(deps.registry);
  const producer = new TypedProducer(deps.kafka, { prefix: config.TOPIC_PREFIX });
  const sink = new BatchSink({
    writer: deps.writer,
    deadLetters: new DeadLetterPublisher(producer),
    tables: deps.tables,
    metrics,
    logger,
    writeMaxRows: config.WRITE_MAX_ROWS,
    maxFutureMs: config.MAX_FUTURE,
    retryInitialMs: config.RETRY_INITIAL,
    retryMaxMs: config.RETRY_MAX,
  });
  const topicOf = new Map<string, SinkTopic>(
    SINK_TOPICS.map((id) => [topicName(id as TopicId, config.TOPIC_PREFIX), id]),
  );
  let consumer: BatchConsumer | undefined;
  let joined = false;

  return {
    async start() {
      await producer.connect();
      consumer = await runBatchConsumer({
        kafka: deps.kafka,
        groupId: config.CONSUMER_GROUP,
        topics: [...topicOf.keys()],
        logger,
        fromBeginning: true,
        partitionsConsumedConcurrently: config.PARTITIONS_CONCURRENCY,
        consumerConfig: {
          maxBytesPerPartition: config.MAX_BYTES_PER_PARTITION,
          maxWaitTimeInMs: config.FETCH_MAX_WAIT,
          minBytes: config.FETCH_MIN_BYTES,
          sessionTimeout: 30_000,
          heartbeatInterval: 3_000,
        },
        eachBatch: async (batch, ctx) => {
          const topic = topicOf.get(batch.topic);
          if (!topic) throw new Error(`unexpected topic ${batch.topic}`);
          await sink.handle(topic, batch, ctx);
        },
      });
      void consumer.joined.then(() => {
        joined = true;
      });
      logger.info({ topics: [...topicOf.keys()], groupId: config.CONSUMER_GROUP }, 'store-writer consuming');
    },
    async stop() {
      try {
        await consumer?.stop();
      } finally {
        await producer.disconnect();
      }
    },
    ready: () => joined && producer.connected,
    joined: () => consumer?.joined ?? Promise.reject(new Error('not started')),
  };
}
