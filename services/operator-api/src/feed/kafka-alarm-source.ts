import { type BatchConsumer, decodeJson, runBatchConsumer, TOPICS, topicName } from '@yujing/kafka';
import type { Logger } from '@yujing/logger';
import type { Kafka } from 'kafkajs';
import type { AlarmEventHub } from './alarm-event-hub';

export interface KafkaAlarmSourceOptions {
  kafka: Kafka;
  prefix: string;
  /** Per-instance group: every API instance needs every event for its own streams and waiters. */
  groupId: string;
  hub: AlarmEventHub;
  logger: Logger;
  /** Counts records that do not match their contract (logged, then skipped: the API only reads). */
  invalid?: { inc(labels: { topic: string }): void };
  /** A new group starts at the end of the topics in production; tests with fresh topics read from the start. */
  fromBeginning?: boolean;
}

/**
 * Feeds the hub from `yj.alarms.v1` (transitions) and `yj.alarm-command-results.v1` (command
 * outcomes). A malformed record is logged with its offset and counted; it is not dead-lettered
 * here because the API is one of several readers (store-writer dead-letters it once).
 */
export async function startKafkaAlarmSource(opts: KafkaAlarmSourceOptions): Promise<BatchConsumer> {
  const alarmsTopic = topicName('alarms', opts.prefix);
  const resultsTopic = topicName('alarmCommandResults', opts.prefix);
  const log = opts.logger.child({ component: 'alarm-source' });
  return runBatchConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [alarmsTopic, resultsTopic],
    fromBeginning: opts.fromBeginning ?? false,
    logger: opts.logger,
    partitionsConsumedConcurrently: 1,
    consumerConfig: { sessionTimeout: 15_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 100 },
    eachBatch: async (batch) => {
      const isAlarms = batch.topic === alarmsTopic;
      for (const m of batch.messages) {
        const decoded = isAlarms
          ? decodeJson(TOPICS.alarms.schema, m.value)
          : decodeJson(TOPICS.alarmCommandResults.schema, m.value);
        if (!decoded.ok) {
          opts.invalid?.inc({ topic: batch.topic });
          log.warn(
            { topic: batch.topic, partition: batch.partition, offset: m.offset, reason: decoded.reason },
            'skipped a record that breaks its contract',
          );
          continue;
        }
        if (isAlarms) opts.hub.publish(decoded.value as never);
        else opts.hub.resolveCommand(decoded.value as never);
      }
    },
  });
}
