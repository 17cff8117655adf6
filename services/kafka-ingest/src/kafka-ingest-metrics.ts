import { createAlarmPathMetrics } from '@yujing/service-runtime';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of kafka-ingest (yujing_kafka_ingest_*). */
export function createKafkaIngestMetrics(registry: Registry) {
  return {
    messages: new Counter({
      name: 'yujing_kafka_ingest_messages_total',
      help: 'inbound records by outcome (accepted, partial, duplicate, rejected)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    readings: new Counter({
      name: 'yujing_kafka_ingest_readings_total',
      help: 'readings produced to yj.readings.v1',
      registers: [registry],
    }),
    rejects: new Counter({
      name: 'yujing_kafka_ingest_rejects_total',
      help: 'dead letters by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'yujing_kafka_ingest_produce_seconds',
      help: 'time to get one fetched batch acknowledged by Kafka (includes retries while Kafka is down)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
      registers: [registry],
    }),
    produceRetries: new Counter({
      name: 'yujing_kafka_ingest_produce_retries_total',
      help: 'Kafka produce attempts that failed and were retried',
      registers: [registry],
    }),
    /** Hops sensor_to_ingest and ingest_to_kafka of yujing_alarm_path_seconds (docs/observability.md). */
    alarmPath: createAlarmPathMetrics(registry),
    seqGaps: new Counter({
      name: 'yujing_kafka_ingest_seq_gap_messages_total',
      help: 'messages missing in gateway sequences past the grace',
      registers: [registry],
    }),
  };
}
export type KafkaIngestMetrics = ReturnType<typeof createKafkaIngestMetrics>;
