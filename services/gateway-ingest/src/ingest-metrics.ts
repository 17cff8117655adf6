import { createAlarmPathMetrics } from '@yujing/service-runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of gateway-ingest (all prefixed yujing_ingest_, labelled by transport). */
export function createIngestMetrics(registry: Registry) {
  return {
    messages: new Counter({
      name: 'yujing_ingest_messages_total',
      help: 'gateway messages by transport and outcome (accepted, partial, duplicate, rejected)',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    readings: new Counter({
      name: 'yujing_ingest_readings_total',
      help: 'readings produced to yj.readings.v1',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    rejects: new Counter({
      name: 'yujing_ingest_rejects_total',
      help: 'dead letters by reason (a partly invalid message counts once per reason)',
      labelNames: ['source', 'reason'] as const,
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'yujing_ingest_produce_seconds',
      help: 'time from receipt to Kafka acknowledgement of a message (includes retries while Kafka is down)',
      labelNames: ['source'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 30],
      registers: [registry],
    }),
    produceBatchCalls: new Histogram({
      name: 'yujing_ingest_produce_batch_calls',
      help: "sends (a message's batch, its events, a dead letter) coalesced into one acknowledged produce request",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    produceRetries: new Counter({
      name: 'yujing_ingest_produce_retries_total',
      help: 'Kafka produce attempts that failed and were retried',
      registers: [registry],
    }),
    seqGaps: new Counter({
      name: 'yujing_ingest_seq_gap_messages_total',
      help: 'messages missing in gateway sequences past the grace (reported as seq-gap events)',
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'yujing_ingest_in_flight',
      help: 'messages received and not yet acknowledged by Kafka',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    mqttDisconnects: new Counter({
      name: 'yujing_ingest_mqtt_disconnects_total',
      help: 'MQTT connections of this instance lost after they were up (a kick by a client-id takeover counts here)',
      registers: [registry],
    }),
    qos0Dropped: new Counter({
      name: 'yujing_ingest_qos0_dropped_total',
      help: 'MQTT QoS 0 messages dropped at the caps (gateway-limit: one gateway, total-limit: all gateways)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    qos0InFlight: new Gauge({
      name: 'yujing_ingest_qos0_in_flight',
      help: 'MQTT QoS 0 messages being produced (capped by MQTT_QOS0_MAX_IN_FLIGHT)',
      registers: [registry],
    }),
    duplicatesWaiting: new Gauge({
      name: 'yujing_ingest_duplicates_waiting',
      help: 'copies of a message (MQTT redeliveries, HTTP retries) waiting for its first copy to reach Kafka',
      registers: [registry],
    }),
    resequenced: new Counter({
      name: 'yujing_ingest_resequenced_total',
      help: "messages that arrived before their gateway's previous seq: held until it went (in-order) or the hold expired (gave-up)",
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    /** Hops sensor_to_ingest and ingest_to_kafka of yujing_alarm_path_seconds (docs/observability.md). */
    alarmPath: createAlarmPathMetrics(registry),
    httpOverloaded: new Counter({
      name: 'yujing_ingest_http_overloaded_total',
      help: 'HTTP requests answered 503 because MAX_IN_FLIGHT was reached or Kafka missed the deadline',
      registers: [registry],
    }),
  };
}
export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
