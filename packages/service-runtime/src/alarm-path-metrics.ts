import { Histogram, type Registry } from 'prom-client';

/**
 * The hops of an alarm from the sensor to the regulator's webhook, in order. Each service
 * observes the hops it owns on one histogram family, `yujing_alarm_path_seconds{hop}`, so a
 * dashboard (or the pipeline bench) can put them side by side and pin a slow alarm on a hop
 * (docs/observability.md). The names are a contract with the dashboards: add hops, never rename.
 */
export const ALARM_PATH_HOPS = {
  /** gateway-ingest / kafka-ingest: newest sensor ts of a message → message accepted (validated). */
  sensor_to_ingest: 'sensor timestamp → message accepted by ingest',
  /** gateway-ingest / kafka-ingest: accepted → its yj.readings.v1 record acknowledged by Kafka. */
  ingest_to_kafka: 'accepted by ingest → acknowledged by Kafka on yj.readings.v1',
  /** rules-worker: readings record produced (Kafka timestamp) → fetched batch handed to the engine. */
  kafka_to_rules: 'readings record produced → fetched by the rules-worker and its turn on the engine',
  /** rules-worker: batch taken by the engine → the transition it raised acknowledged on yj.alarms.v1. */
  rules_to_alarm: 'batch taken by the engine → transition acknowledged on yj.alarms.v1',
  /** alert-dispatcher: transition record produced (Kafka timestamp) → handled by the dispatcher. */
  alarm_to_dispatcher: 'transition produced on yj.alarms.v1 → dispatcher starts handling it',
  /** alert-dispatcher: handling starts → escalation steps (BullMQ jobs) written. */
  dispatcher_to_step_job: 'dispatcher starts handling a raise/escalate → escalation step jobs added',
  /** alert-dispatcher: step job added → its delivery jobs added (escalation worker pick-up + claim). */
  step_job_to_delivery_job: 'escalation step job added → delivery jobs added',
  /** alert-dispatcher: delivery job added → first HTTP attempt sent. */
  delivery_job_to_attempt: 'delivery job added → first attempt sent',
  /** alert-dispatcher: attempt sent → receiver's answer (any status). */
  attempt_to_answer: "webhook attempt sent → receiver's answer",
} as const;
export type AlarmPathHop = keyof typeof ALARM_PATH_HOPS;

/** Milliseconds to seconds: the path is judged in ms (≤ 250 ms p99), a stall in seconds. */
export const ALARM_PATH_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

export interface AlarmPathMetrics {
  /** Records one hop's duration in milliseconds (negative durations, from clock skew, count as 0). */
  observe(hop: AlarmPathHop, ms: number): void;
  readonly histogram: Histogram<'hop'>;
}

/** The `yujing_alarm_path_seconds` histogram on a service's registry. */
export function createAlarmPathMetrics(registry: Registry): AlarmPathMetrics {
  const histogram = new Histogram({
    name: 'yujing_alarm_path_seconds',
    help: 'duration of one hop of the alarm path sensor → webhook, by hop (docs/observability.md)',
    labelNames: ['hop'] as const,
    buckets: ALARM_PATH_BUCKETS,
    registers: [registry],
  });
  return {
    histogram,
    observe(hop, ms) {
      histogram.observe({ hop }, ms > 0 ? ms / 1000 : 0);
    },
  };
}
