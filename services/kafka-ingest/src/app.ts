import {
  type BatchConsumer,
  DeadLetterPublisher,
  platformInboundTopic,
  runBatchConsumer,
  TypedProducer,
  topicName,
} from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { createMetricsRegistry } from '@yujing/service-runtime';
import {
  DEFAULT_INTAKE_LIMITS,
  GapSweeper,
  type IntakeLimits,
  type IntakeRegistry,
  SequenceTracker,
} from '@yujing/telemetry-intake';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { KafkaIngestConfig } from './config';
import { InboundProcessor, type PlatformRegistry } from './inbound-processor';
import { createKafkaIngestMetrics, type KafkaIngestMetrics } from './kafka-ingest-metrics';
import { nativeAdapter } from './native-adapter';
import type { TelemetryAdapter } from './telemetry-adapter';

export interface KafkaIngestDeps {
  config: KafkaIngestConfig;
  logger: Logger;
  kafka: Kafka;
  registry: IntakeRegistry & PlatformRegistry;
  /**
   * Platforms whose own inbound topic (`yj.telemetry.inbound.v1.<id>`, the only one their Kafka
   * principal may write) is consumed besides the shared one. main.ts takes them from the registry.
   */
  platforms?: readonly string[];
  /** Format adapters, tried in order (native first by default). */
  adapters?: readonly TelemetryAdapter[];
  limits?: IntakeLimits;
  metricsRegistry?: Registry;
}

export interface KafkaIngest {
  metricsRegistry: Registry;
  metrics: KafkaIngestMetrics;
  /** Kafka producer connected and consumer joined. */
  ready(): boolean;
  start(): Promise<void>;
  /** Stop fetching, let the in-flight batch finish and commit, close the producer. */
  stop(): Promise<void>;
}

/** Wires kafka-ingest without starting it. */
export function buildKafkaIngest(deps: KafkaIngestDeps): KafkaIngest {
  const { config, logger } = deps;
  const metricsRegistry = deps.metricsRegistry ?? createMetricsRegistry('kafka-ingest');
  const metrics = createKafkaIngestMetrics(metricsRegistry);
  const producer = new TypedProducer(deps.kafka, { prefix: config.TOPIC_PREFIX });
  const tracker = new SequenceTracker({ window: config.REPLAY_WINDOW, gapGraceMs: config.GAP_GRACE });
  const deadLetters = new DeadLetterPublisher(producer);
  const processor = new InboundProcessor({
    producer,
    deadLetters,
    registry: deps.registry,
    topicPrefix: config.TOPIC_PREFIX,
    tracker,
    adapters: deps.adapters ?? [nativeAdapter],
    limits: deps.limits ?? DEFAULT_INTAKE_LIMITS,
    metrics,
    logger,
  });
  let consumer: BatchConsumer | undefined;
  let joined = false;
  const gapSweeper = new GapSweeper({
    tracker,
    publish: (events) =>
      producer.send(
        'gatewayEvents',
        events.map((e) => ({ key: e.enterpriseId, value: e })),
      ),
    onMissing: (missing) => metrics.seqGaps.inc(missing),
    logger,
    gapGraceMs: config.GAP_GRACE,
  });

  return {
    metricsRegistry,
    metrics,
    ready: () => producer.connected && joined,
    async start() {
      await producer.connect();
      consumer = await runBatchConsumer({
        kafka: deps.kafka,
        groupId: config.GROUP_ID,
        topics: [
          topicName('telemetryInbound', config.TOPIC_PREFIX),
          ...(deps.platforms ?? []).map((id) => platformInboundTopic(id, config.TOPIC_PREFIX)),
        ],
        logger,
        fromBeginning: true,
        partitionsConsumedConcurrently: config.PARTITIONS_CONCURRENTLY,
        eachBatch: (batch, ctx) => processor.process(batch.topic, batch.partition, batch.messages, ctx),
      });
      void consumer.joined.then(() => {
        joined = true;
      });
      gapSweeper.start();
      logger.info({ groupId: config.GROUP_ID, topicPrefix: config.TOPIC_PREFIX }, 'kafka-ingest started');
    },
    async stop() {
      try {
        await consumer?.stop();
      } finally {
        await gapSweeper.stop();
        await producer.disconnect();
      }
    },
  };
}
