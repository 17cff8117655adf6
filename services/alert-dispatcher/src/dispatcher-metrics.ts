import { createAlarmPathMetrics } from '@yujing/service-runtime';
import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the dispatcher: intake, steps, deliveries and queue depths. */
export function createDispatcherMetrics(registry: Registry) {
  const queues: Array<{ id: string; queue: Queue }> = [];
  const metrics = {
    transitions: new Counter({
      name: 'yujing_dispatcher_alarm_transitions_total',
      help: 'Alarm transitions consumed from yj.alarms.v1, by transition and outcome (handled, duplicate, dead-lettered)',
      labelNames: ['transition', 'outcome'] as const,
      registers: [registry],
    }),
    steps: new Counter({
      name: 'yujing_dispatcher_escalation_steps_total',
      help: 'Escalation steps and reminders processed, by kind, target and outcome (notified or the skip reason)',
      labelNames: ['kind', 'target', 'outcome'] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'yujing_dispatcher_delivery_attempts_total',
      help: 'Webhook delivery attempts by status (delivered, failed, dead-lettered, rejected)',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    failures: new Counter({
      name: 'yujing_dispatcher_delivery_failures_total',
      help: 'Failed webhook delivery attempts by subscriber',
      labelNames: ['subscription'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'yujing_dispatcher_deliveries_dead_lettered_total',
      help: 'Deliveries that exhausted their attempts or were rejected, kept in the failed set for replay',
      labelNames: ['subscription'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'yujing_dispatcher_delivery_latency_seconds',
      help: 'Duration of one webhook HTTP attempt, by status',
      labelNames: ['status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    /** Dispatcher hops of yujing_alarm_path_seconds, alarm_to_dispatcher … attempt_to_answer (docs/observability.md). */
    alarmPath: createAlarmPathMetrics(registry),
    watchQueue(id: string, queue: Queue) {
      queues.push({ id, queue });
    },
  };
  new Gauge({
    name: 'yujing_dispatcher_queue_jobs',
    help: 'Jobs per BullMQ queue and state (waiting, delayed, active, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { id, queue } of queues) {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'failed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: id, state }, n);
      }
    },
  });
  return metrics;
}

export type DispatcherMetrics = ReturnType<typeof createDispatcherMetrics>;
