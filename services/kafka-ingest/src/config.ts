import { durationMs, intVar, KAFKA_SECURITY_ENV, listVar, logLevelVar, portVar } from '@yujing/config';
import { z } from 'zod';

/** kafka-ingest configuration, read once from the environment in main.ts. */
export const KafkaIngestConfig = z.object({
  /** Kafka bootstrap servers (the inbound topic and our outputs live on the same cluster). */
  KAFKA_BROKERS: listVar().describe('comma separated Kafka bootstrap servers, e.g. 127.0.0.1:9092'),
  ...KAFKA_SECURITY_ENV,
  /** '' in production; tests isolate themselves with a unique prefix. */
  TOPIC_PREFIX: z.string().default('').describe('prefix of every Kafka topic name (tests use a unique one)'),
  /** One group for all instances: more instances = more partitions of yj.telemetry.inbound.v1 in parallel. */
  GROUP_ID: z
    .string()
    .min(1)
    .default('yujing-kafka-ingest')
    .describe('consumer group of yj.telemetry.inbound.v1'),
  /** Partitions handled at once per instance (≤ partitions; 2 cores locally). */
  PARTITIONS_CONCURRENTLY: intVar(1, 64)
    .default(2)
    .describe('partitions processed concurrently per instance'),
  /** Ops server (no API of its own). */
  OPS_HOST: z.string().default('127.0.0.1').describe('bind address of /healthz, /readyz, /metrics'),
  OPS_PORT: portVar().default(8082).describe('port of /healthz, /readyz, /metrics'),
  /** Replay memory per gateway (17 bytes per seq). */
  REPLAY_WINDOW: intVar(16, 1_000_000)
    .default(1024)
    .describe('sequence numbers remembered per gateway for replay detection'),
  /** A missing seq becomes a seq-gap event after this grace. */
  GAP_GRACE: durationMs().default(30_000).describe('a missing seq becomes a seq-gap event after this'),
  SHUTDOWN_TIMEOUT: durationMs().default(20_000).describe('deadline of the whole graceful shutdown'),
  LOG_LEVEL: logLevelVar().default('info').describe('pino log level'),
});
export type KafkaIngestConfig = z.output<typeof KafkaIngestConfig>;
