import { createAlarmPathMetrics } from '@yujing/service-runtime';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the rules-worker. */
export function createWorkerMetrics(registry: Registry) {
  return {
    readings: new Counter({
      name: 'yujing_rules_readings_total',
      help: 'readings evaluated',
      registers: [registry],
    }),
    skipped: new Counter({
      name: 'yujing_rules_readings_skipped_total',
      help: 'readings not evaluated, by reason (out-of-order, unknown-point, invalid)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    transitions: new Counter({
      name: 'yujing_rules_transitions_total',
      help: 'alarm transitions emitted',
      labelNames: ['kind', 'transition', 'level'],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'yujing_rules_commands_total',
      help: 'alarm commands executed, by outcome code',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'yujing_rules_deadletters_total',
      help: 'input records dead-lettered, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    evaluationSeconds: new Histogram({
      name: 'yujing_rules_batch_evaluation_seconds',
      help: 'time to evaluate one fetched Kafka batch (pure evaluation, no I/O)',
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    batchRecords: new Histogram({
      name: 'yujing_rules_batch_records',
      help: 'records per fetched Kafka batch of yj.readings.v1',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
    snapshots: new Counter({
      name: 'yujing_rules_snapshots_total',
      help: 'enterprise state snapshots written to yj.rules-state.v1',
      registers: [registry],
    }),
    snapshotBytes: new Counter({
      name: 'yujing_rules_snapshot_bytes_total',
      help: 'bytes of enterprise state snapshots written to yj.rules-state.v1',
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'yujing_rules_consumer_lag',
      help: 'records behind the high watermark at the last fetched batch',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    stateBytes: new Gauge({
      name: 'yujing_rules_state_bytes',
      help: 'serialised size of the state snapshots last written, summed over owned enterprises',
      registers: [registry],
    }),
    enterprises: new Gauge({
      name: 'yujing_rules_enterprises',
      help: 'enterprises held in state',
      registers: [registry],
    }),
    /** Hops kafka_to_rules and rules_to_alarm of yujing_alarm_path_seconds (docs/observability.md). */
    alarmPath: createAlarmPathMetrics(registry),
    gateways: new Gauge({
      name: 'yujing_rules_gateways',
      help: 'gateways of the owned enterprises that have sent data, by state (offline = gateway-offline alarm active)',
      labelNames: ['state'],
      registers: [registry],
    }),
    restores: new Counter({
      name: 'yujing_rules_partition_restores_total',
      help: 'partitions restored from the changelog',
      registers: [registry],
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
