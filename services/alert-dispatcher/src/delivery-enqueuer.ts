import { QUEUES, type WebhookDeliveryJob } from '@yujing/queues';
import type {
  AlarmTransitionEvent,
  EscalationTarget,
  WebhookEventType,
  WebhookSubscription,
} from '@yujing/schemas';
import type { Queue } from 'bullmq';
import { deliveryIdFor } from './escalation-plan';
import { DELIVERY_BACKOFF_TYPE } from './retry-backoff';

export interface DeliveryPolicy {
  /** Attempts before a delivery is dead-lettered (WEBHOOK_ATTEMPTS). */
  attempts: number;
  /** How long completed delivery jobs are kept (they also dedupe re-enqueues of the same id). */
  keepCompletedMs: number;
}

export interface Notice {
  alarm: AlarmTransitionEvent;
  event: WebhookEventType;
  /** What caused the notice (e.g. "p12-s2", "ack-14", "resolved"): with the subscription it makes the delivery id. */
  cause: string;
  step?: { index: number; target: EscalationTarget };
  recipients: readonly WebhookSubscription[];
  nowMs: number;
}

/**
 * Puts one delivery job per recipient on the deliveries queue. The job id is the delivery id
 * (X-Yujing-Delivery), derived from alarm, cause and subscription, so enqueuing the same notice
 * twice (a replayed Kafka record, a retried step) adds nothing. Failed jobs are kept
 * (removeOnFail: false): that is the dead-letter state the operator API lists and replays.
 */
export class DeliveryEnqueuer {
  constructor(
    private readonly queue: Queue,
    private readonly policy: DeliveryPolicy,
  ) {}

  async enqueue(notice: Notice): Promise<string[]> {
    if (notice.recipients.length === 0) return [];
    const jobs = notice.recipients.map((sub) => {
      const deliveryId = deliveryIdFor(notice.alarm.alarmId, notice.cause, sub.id);
      const data: WebhookDeliveryJob = {
        deliveryId,
        subscriptionId: sub.id,
        event: notice.event,
        payload: {
          event: notice.event,
          deliveryId,
          sentAt: notice.nowMs,
          ...(notice.step ? { step: notice.step } : {}),
          alarm: notice.alarm,
        },
      };
      return {
        name: QUEUES.deliveries.jobName,
        data,
        opts: {
          jobId: deliveryId,
          attempts: this.policy.attempts,
          backoff: { type: DELIVERY_BACKOFF_TYPE },
          removeOnComplete: { age: Math.ceil(this.policy.keepCompletedMs / 1000) },
          removeOnFail: false,
        },
      };
    });
    await this.queue.addBulk(jobs);
    return jobs.map((j) => j.data.deliveryId);
  }
}
