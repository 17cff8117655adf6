import {
  type BatchConsumer,
  type DeadLetterPublisher,
  decodeJson,
  runBatchConsumer,
  topicName,
} from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import { AlarmTransitionEvent, issuesToRecords } from '@yujing/schemas';
import type { Kafka, KafkaMessage } from 'kafkajs';
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
 * handled (at-least-once; the handler is idempotent). Within a batch each alarm's transitions
 * are handled in order and up to ALARMS_IN_PARALLEL alarms at once, raises and escalations first,
 * so a raise does not wait for the Redis round trips of every transition fetched before it. A record that is not an alarm transition,
 * or names an enterprise the registry does not know, goes to yj.deadletter.v1 with the reason.
 */
/** Alarms of one fetched batch handled at once (each alarm's own transitions stay in order). */
const ALARMS_IN_PARALLEL = 16;

/** Raises and escalations page people: handled ahead of returns, acks, comments of other alarms. */
const urgency = (ev: Pick<AlarmTransitionEvent, 'transition'>): number =>
  ev.transition === 'raise' || ev.transition === 'escalate' ? 1 : 0;

/**
 * The batch's transitions grouped by alarm, each group in batch order, groups whose first
 * transition is a raise or an escalation first (otherwise in order of first appearance).
 */
export function alarmLanes<T extends { ev: Pick<AlarmTransitionEvent, 'alarmId' | 'transition'> }>(
  items: readonly T[],
): T[][] {
  const byAlarm = new Map<string, T[]>();
  for (const item of items) {
    const list = byAlarm.get(item.ev.alarmId) ?? [];
    list.push(item);
    byAlarm.set(item.ev.alarmId, list);
  }
  return [...byAlarm.values()].sort((a, b) => urgency(b[0]!.ev) - urgency(a[0]!.ev));
}

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
      // Decode the batch, dead-letter what is not a transition, group the rest by alarm.
      const valid: { ev: AlarmTransitionEvent; message: KafkaMessage }[] = [];
      for (const message of batch.messages) {
        const decoded = decodeJson(AlarmTransitionEvent, message.value);
        if (!decoded.ok) {
          await opts.deadLetters.publish({
            source,
            reason: decoded.reason,
            message: decoded.error.message.slice(0, 500),
            issues: issuesToRecords(decoded.issues),
            context: { topic, partition: String(batch.partition), offset: message.offset },
            raw: message.value ?? Buffer.alloc(0),
          });
          opts.metrics.transitions.inc({ transition: 'invalid', outcome: 'dead-lettered' });
          continue;
        }
        valid.push({ ev: decoded.value, message });
      }
      // One alarm's transitions in order (its seq dedupes: a later one handled first would
      // hide the earlier); different alarms side by side, so an alarm does not wait for the Redis
      // round trips of every transition before it in the batch; raises and escalations first.
      const alarms = alarmLanes(valid);
      const handleAlarm = async (items: { ev: AlarmTransitionEvent; message: KafkaMessage }[]) => {
        for (const { ev, message } of items) {
          if (!ctx.isRunning()) throw new Error('consumer stopping; batch left uncommitted');
          const startedAt = Date.now();
          opts.metrics.alarmPath.observe('alarm_to_dispatcher', startedAt - Number(message.timestamp));
          const outcome = await opts.handler.handle(ev, startedAt);
          if (outcome === 'unknown-enterprise') {
            await opts.deadLetters.publish({
              source,
              reason: 'unknown-enterprise',
              message: `enterprise ${ev.enterpriseId} is not in the registry; alarm not escalated`,
              context: {
                topic,
                partition: String(batch.partition),
                offset: message.offset,
                enterpriseId: ev.enterpriseId,
                alarmId: ev.alarmId,
              },
              raw: message.value ?? Buffer.alloc(0),
            });
            opts.metrics.transitions.inc({ transition: ev.transition, outcome: 'dead-lettered' });
            continue;
          }
          opts.metrics.transitions.inc({ transition: ev.transition, outcome });
        }
      };
      let next = 0;
      const lanes = Array.from({ length: Math.min(ALARMS_IN_PARALLEL, alarms.length) }, async () => {
        while (next < alarms.length) await handleAlarm(alarms[next++]!);
      });
      // Every lane finishes before the batch fails: no handler keeps running behind a redelivery.
      const failed = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      await ctx.heartbeat();
    },
  });
}
