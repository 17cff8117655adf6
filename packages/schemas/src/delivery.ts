import { z } from 'zod';
import { AlarmTransitionEvent } from './alarm-events';
import { EpochMs, LocalId } from './primitives';
import { EscalationTarget, WebhookEventType } from './registry-entities';

/** The JSON body POSTed to a regulator's webhook (DESIGN §6). */
export const WebhookPayload = z.object({
  event: WebhookEventType,
  deliveryId: z.string().min(1),
  sentAt: EpochMs,
  step: z.object({ index: z.number().int().nonnegative(), target: EscalationTarget }).optional(),
  alarm: AlarmTransitionEvent,
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export const DeliveryStatus = z.enum(['delivered', 'failed', 'dead-lettered', 'rejected']);

/** One webhook delivery attempt and its outcome, on `yj.deliveries.v1` (key = alarmId). */
export const DeliveryRecord = z.object({
  deliveryId: z.string().min(1).describe('stable across retries'),
  alarmId: z.string().min(1),
  enterpriseId: z.string().min(1),
  subscriptionId: LocalId,
  event: WebhookEventType,
  target: z.string().describe('subscriber URL origin (no path secrets)'),
  attempt: z.number().int().positive(),
  status: DeliveryStatus,
  httpStatus: z.number().int().nullable(),
  latencyMs: z.number().nonnegative(),
  error: z.string().max(500).optional(),
  at: EpochMs,
});
export type DeliveryRecord = z.infer<typeof DeliveryRecord>;

/** Everything rejected, on `yj.deadletter.v1` (key = source). Nothing is ever dropped. */
export const DeadLetterRecord = z.object({
  source: z.string().min(1).describe('e.g. mqtt, http, kafka-ingest, store-writer'),
  reason: z.string().min(1).describe('machine-readable reason, e.g. schema, oversize, unknown-point'),
  message: z.string().optional(),
  issues: z
    .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
    .default([]),
  receivedAt: EpochMs,
  context: z
    .record(z.string(), z.string())
    .default({})
    .describe('enterpriseId, gatewayId, topic … (no secrets)'),
  raw: z.string().describe('the rejected bytes, base64'),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecord>;
