import { EscalationTarget, WebhookEventType, WebhookPayload } from '@yujing/schemas';
import { z } from 'zod';

/**
 * BullMQ queues shared between alert-dispatcher (producer and worker) and operator-api (reads
 * dead-lettered deliveries and replays them): names and job payloads in one typed catalogue.
 * Queue names take the same deployment/test prefix as topics.
 */

/** One scheduled escalation step of an alarm. Job id: escalation step id (no ':' allowed by BullMQ). */
export const EscalationStepJob = z.object({
  alarmId: z.string().min(1),
  enterpriseId: z.string().min(1),
  policyId: z.string().min(1),
  stepIndex: z.number().int().nonnegative(),
  target: EscalationTarget,
  /** Bumped when a re-alarm or severity rise re-plans the steps; stale jobs are ignored. */
  planVersion: z.number().int().nonnegative(),
  kind: z.enum(['step', 'reminder']).default('step'),
});
export type EscalationStepJob = z.infer<typeof EscalationStepJob>;

/** One webhook delivery; retried by BullMQ with the same deliveryId until delivered or dead-lettered. */
export const WebhookDeliveryJob = z.object({
  deliveryId: z.string().min(1),
  subscriptionId: z.string().min(1),
  event: WebhookEventType,
  payload: WebhookPayload,
});
export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJob>;

export const QUEUES = {
  escalation: { name: 'yj-escalation', job: EscalationStepJob },
  deliveries: { name: 'yj-webhook-deliveries', job: WebhookDeliveryJob },
} as const;

export type QueueId = keyof typeof QUEUES;

export function queueName(id: QueueId, prefix = ''): string {
  // BullMQ forbids ':' in queue names; prefixes come from topic prefixes like "t-ab12."
  return `${prefix.replace(/[:.]/g, '-')}${QUEUES[id].name}`;
}
