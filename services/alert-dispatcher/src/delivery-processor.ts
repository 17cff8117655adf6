import type { Logger } from '@yujing/logger';
import { WebhookDeliveryJob } from '@yujing/queues';
import type { DeliveryRecord } from '@yujing/schemas';
import { signWebhook } from '@yujing/webhook-signature';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { type DeliveryRecorder, targetOrigin } from './delivery-recorder';
import { dispatcherErrors } from './dispatcher-errors';
import type { DispatcherMetrics } from './dispatcher-metrics';
import type { RegistryView } from './registry-view';
import type { AddressPolicy } from './ssrf-guard';
import type { SubscriberRateLimit } from './subscriber-rate-limit';
import { type SendOutcome, sendWebhook } from './webhook-sender';

export interface DeliveryProcessorDeps {
  registry: RegistryView;
  rateLimit: SubscriberRateLimit;
  recorder: DeliveryRecorder;
  metrics: DispatcherMetrics;
  logger: Logger;
  addressPolicy: AddressPolicy;
  timeoutMs: number;
  /** Refuse plain-http subscriber URLs (production). */
  requireHttps?: boolean;
  now: () => number;
}

/**
 * One attempt of one webhook delivery: take a token of the subscriber's rate limit (or wait
 * without spending an attempt), sign with a fresh timestamp, POST, record the attempt on
 * yj.deliveries.v1. Non-2xx and network errors throw, so BullMQ retries with back-off; the
 * last attempt is recorded as dead-lettered and the job stays in the failed set for replay.
 * A forbidden target (SSRF guard) or a vanished subscription fails at once (no retry can help).
 */
export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  const log = deps.logger.child({ component: 'delivery-processor' });
  return async (job: Job, token?: string): Promise<{ httpStatus: number; attempt: number }> => {
    const parsed = WebhookDeliveryJob.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        dispatcherErrors.YJ_ERR_DISPATCH_JOB_INVALID(`delivery job ${job.id} is invalid`).message,
      );
    }
    const data = parsed.data;
    const attempt = job.attemptsMade + 1;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    const alarm = data.payload.alarm;
    const ctx = {
      deliveryId: data.deliveryId,
      alarmId: alarm.alarmId,
      enterpriseId: alarm.enterpriseId,
      subscriptionId: data.subscriptionId,
      attempt,
    };
    const record = async (
      status: DeliveryRecord['status'],
      outcome: Pick<SendOutcome, 'latencyMs'> & { httpStatus?: number | null; error?: string },
      url: string,
    ) => {
      await deps.recorder.record({
        deliveryId: data.deliveryId,
        alarmId: alarm.alarmId,
        enterpriseId: alarm.enterpriseId,
        subscriptionId: data.subscriptionId,
        event: data.event,
        target: targetOrigin(url),
        attempt,
        status,
        httpStatus: outcome.httpStatus ?? null,
        latencyMs: outcome.latencyMs,
        ...(outcome.error ? { error: outcome.error.slice(0, 500) } : {}),
        at: deps.now(),
      });
      deps.metrics.deliveries.inc({ status });
    };

    const sub = deps.registry.subscriptions().find((s) => s.id === data.subscriptionId);
    if (!sub?.enabled) {
      const err = dispatcherErrors.YJ_ERR_DISPATCH_SUBSCRIPTION_GONE();
      await record('dead-lettered', { latencyMs: 0, error: `${err.code}: ${err.message}` }, sub?.url ?? '');
      deps.metrics.deadLettered.inc({ subscription: data.subscriptionId });
      log.warn(ctx, 'delivery dead-lettered: subscription gone');
      throw new UnrecoverableError(`${err.code}: ${err.message}`);
    }

    const waitMs = await deps.rateLimit.take(sub.id, sub.ratePerSecond);
    if (waitMs > 0) {
      // Over the subscriber's rate: back to the delayed set, no attempt spent.
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }

    const body = JSON.stringify(data.payload);
    const headers = signWebhook({
      secret: sub.secret,
      body,
      event: data.event,
      deliveryId: data.deliveryId,
      nowMs: deps.now(),
    });
    if (attempt === 1) deps.metrics.alarmPath.observe('delivery_job_to_attempt', deps.now() - job.timestamp);
    const outcome = await sendWebhook({
      url: sub.url,
      body,
      headers,
      timeoutMs: deps.timeoutMs,
      policy: deps.addressPolicy,
      requireHttps: deps.requireHttps ?? false,
    });
    deps.metrics.latency.observe({ status: outcome.kind }, outcome.latencyMs / 1000);
    deps.metrics.alarmPath.observe('attempt_to_answer', outcome.latencyMs);

    if (outcome.kind === 'delivered') {
      await record('delivered', outcome, sub.url);
      log.info(
        { ...ctx, event: data.event, httpStatus: outcome.httpStatus, latencyMs: outcome.latencyMs },
        'webhook delivered',
      );
      return { httpStatus: outcome.httpStatus, attempt };
    }
    deps.metrics.failures.inc({ subscription: sub.id });
    if (outcome.kind === 'rejected') {
      const err = dispatcherErrors.YJ_ERR_DISPATCH_TARGET_FORBIDDEN(outcome.error);
      await record('rejected', { ...outcome, error: `${err.code}: ${outcome.error}` }, sub.url);
      deps.metrics.deadLettered.inc({ subscription: sub.id });
      log.warn({ ...ctx, reason: outcome.error }, 'webhook target rejected');
      throw new UnrecoverableError(`${err.code}: ${outcome.error}`);
    }
    await record(lastAttempt ? 'dead-lettered' : 'failed', outcome, sub.url);
    if (lastAttempt) {
      deps.metrics.deadLettered.inc({ subscription: sub.id });
      log.warn(
        { ...ctx, httpStatus: outcome.httpStatus, error: outcome.error },
        'webhook dead-lettered after last attempt',
      );
    } else {
      log.info(
        { ...ctx, httpStatus: outcome.httpStatus, error: outcome.error },
        'webhook attempt failed; will retry',
      );
    }
    throw dispatcherErrors.YJ_ERR_DISPATCH_WEBHOOK_FAILED(outcome.error, { context: ctx });
  };
}
