import { QUEUES, type WebhookDeliveryJob } from '@yujing/queues';
import type {
  AlarmTransitionEvent,
  EscalationTarget,
  WebhookEventType,
  WebhookSubscription,
} from '@yujing/schemas';
import type { Queue } from 'bullmq';
import { deliveryIdFor } from './escalation-plan';
import type { PersonRecipient } from './notify/person-recipients';
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
  /** People's channels the notice also goes to (same queue, retries and dead letters as webhooks). */
  people?: readonly PersonRecipient[];
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
    const targets = [
      ...notice.recipients.map((sub) => ({ id: sub.id, person: undefined })),
      ...(notice.people ?? []).map((p) => ({
        id: p.id,
        person: { personId: p.person.id, channelId: p.channel.id },
      })),
    ];
    if (targets.length === 0) return [];
    const jobs = targets.map((sub) => {
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
        ...(sub.person ? { person: sub.person } : {}),
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
