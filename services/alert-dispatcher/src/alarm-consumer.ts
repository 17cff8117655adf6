import {
  type BatchConsumer,
  type DeadLetterPublisher,
  decodeJson,
  runBatchConsumer,
  topicName,
} from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { AlarmTransitionEvent, issuesToRecords } from '@yujing/schemas';
import type { Kafka } from 'kafkajs';
import type { DispatcherMetrics } from './dispatcher-metrics';
import type { TransitionHandler } from './transition-handler';

export interface AlarmConsumerOptions {
  kafka: Kafka;
  prefix: string;
  groupId: string;
  sessionTimeoutMs: number;
  handler: TransitionHandler;
  deadLetters: DeadLetterPublisher;
  metrics: DispatcherMetrics;
  logger: Logger;
}

/**
 * Consumes yj.alarms.v1 in the dispatcher's group. Offsets are committed only after a batch is
 * handled (at-least-once; the handler is idempotent). A record that is not an alarm transition,
 * or names an enterprise the registry does not know, goes to yj.deadletter.v1 with the reason.
 */
export async function startAlarmConsumer(opts: AlarmConsumerOptions): Promise<BatchConsumer> {
  const source = 'alert-dispatcher';
  const topic = topicName('alarms', opts.prefix);
  return runBatchConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [topic],
    logger: opts.logger,
    fromBeginning: true,
    consumerConfig: {
      sessionTimeout: opts.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(opts.sessionTimeoutMs / 10)),
    },
    eachBatch: async (batch, ctx) => {
      for (const message of batch.messages) {
        if (!ctx.isRunning()) throw new Error('consumer stopping; batch left uncommitted');
        const decoded = decodeJson(AlarmTransitionEvent, message.value);
        const context = { topic, partition: String(batch.partition), offset: message.offset };
        if (!decoded.ok) {
          await opts.deadLetters.publish({
            source,
            reason: decoded.reason,
            message: decoded.error.message.slice(0, 500),
            issues: issuesToRecords(decoded.issues),
            context,
            raw: message.value ?? Buffer.alloc(0),
          });
          opts.metrics.transitions.inc({ transition: 'invalid', outcome: 'dead-lettered' });
          continue;
        }
        const ev = decoded.value;
        const startedAt = Date.now();
        opts.metrics.alarmPath.observe('alarm_to_dispatcher', startedAt - Number(message.timestamp));
        const outcome = await opts.handler.handle(ev, startedAt);
        if (outcome === 'unknown-enterprise') {
          await opts.deadLetters.publish({
            source,
            reason: 'unknown-enterprise',
            message: `enterprise ${ev.enterpriseId} is not in the registry; alarm not escalated`,
            context: { ...context, enterpriseId: ev.enterpriseId, alarmId: ev.alarmId },
            raw: message.value ?? Buffer.alloc(0),
          });
          opts.metrics.transitions.inc({ transition: ev.transition, outcome: 'dead-lettered' });
          continue;
        }
        opts.metrics.transitions.inc({ transition: ev.transition, outcome });
        await ctx.heartbeat();
      }
    },
  });
}
