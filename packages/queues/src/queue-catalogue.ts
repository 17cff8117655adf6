import { EpochMs, EscalationTarget, WebhookEventType, WebhookPayload } from '@yujing/schemas';
import { z } from 'zod';

/**
 * BullMQ queues shared between alert-dispatcher (producer and worker) and operator-api (reads
 * dead-lettered deliveries and replays them): names and job payloads in one typed catalogue.
 * Queue names take the same deployment/test prefix as topics.
 */

/**
 * One scheduled escalation step or reminder of an alarm. Job id: derived from a hash of the
 * alarm id, the plan version and the step (BullMQ ids must not contain ':'), so scheduling the
 * same plan twice never doubles a step.
 */
export const EscalationStepJob = z
  .object({
    alarmId: z.string().min(1),
    enterpriseId: z.string().min(1),
    policyId: z.string().min(1),
    /** Step index in the policy (kind step), or reminder number from 0 (kind reminder). */
    stepIndex: z.number().int().nonnegative(),
    /** Who the step notifies (kind step only; reminders go to everyone notified so far). */
    target: EscalationTarget.optional(),
    /** What cancels the step (kind step only). */
    unless: z.enum(['acknowledged', 'cleared']).default('acknowledged'),
    /** Bumped when a re-alarm or severity rise re-plans the steps; stale jobs are ignored. */
    planVersion: z.number().int().nonnegative(),
    /** The transition that made the plan: steps of a raise at 0 ms are 'alarm.raised', the rest 'alarm.escalated'. */
    origin: z.enum(['raise', 'escalate']).default('raise'),
    kind: z.enum(['step', 'reminder']).default('step'),
    /** When the step is due (epoch ms), for logs and lateness metrics. */
    dueAt: EpochMs,
  })
  .refine((j) => j.kind !== 'step' || j.target !== undefined, {
    message: 'a step needs a target',
    path: ['target'],
  });
export type EscalationStepJob = z.infer<typeof EscalationStepJob>;

/**
 * One webhook delivery; retried by BullMQ with the same deliveryId (= job id) until delivered
 * or dead-lettered. Dead-lettered jobs stay in the queue's failed set (removeOnFail: false):
 * `job.retry('failed', { resetAttemptsMade: true })` replays them with a fresh series of attempts.
 */
export const WebhookDeliveryJob = z.object({
  deliveryId: z.string().min(1),
  /** The webhook subscription, or for a person the recipient id `person.<personId>.<channelId>`. */
  subscriptionId: z.string().min(1),
  event: WebhookEventType,
  payload: WebhookPayload,
  /** Set when the delivery goes to a person's channel (DingTalk, WeCom, SMS, voice, e-mail), not a webhook. */
  person: z.object({ personId: z.string().min(1), channelId: z.string().min(1) }).optional(),
});
export type WebhookDeliveryJob = z.infer<typeof WebhookDeliveryJob>;

export const QUEUES = {
  escalation: { name: 'yj-escalation', job: EscalationStepJob, jobName: 'escalation-step' },
  deliveries: { name: 'yj-webhook-deliveries', job: WebhookDeliveryJob, jobName: 'webhook-delivery' },
} as const;

export type QueueId = keyof typeof QUEUES;

export function queueName(id: QueueId, prefix = ''): string {
  // BullMQ forbids ':' in queue names; prefixes come from topic prefixes like "t-ab12."
  return `${prefix.replace(/[:.]/g, '-')}${QUEUES[id].name}`;
}
