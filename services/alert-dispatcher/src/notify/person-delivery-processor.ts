import type { Logger } from '@yujing/logger';
import type { WebhookDeliveryJob } from '@yujing/queues';
import type { DeliveryRecord, Person } from '@yujing/schemas';
import { signAckLink } from '@yujing/webhook-signature';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { DeliveryRecorder } from '../delivery-recorder';
import { dispatcherErrors } from '../dispatcher-errors';
import type { DispatcherMetrics } from '../dispatcher-metrics';
import type { RegistryView } from '../registry-view';
import type { SubscriberRateLimit } from '../subscriber-rate-limit';
import {
  type ChannelAdapters,
  type ChannelOutcome,
  channelTarget,
  sendThroughChannel,
} from './channels/channel-adapter';
import { renderNotice } from './notice-templates';

export interface PersonDeliveryDeps {
  registry: RegistryView;
  adapters: ChannelAdapters;
  rateLimit: SubscriberRateLimit;
  recorder: DeliveryRecorder;
  metrics: DispatcherMetrics;
  logger: Logger;
  timeoutMs: number;
  consoleBaseUrl: string;
  ackLink?: { baseUrl: string; secret: string; ttlMs: number } | undefined;
  now: () => number;
}

/** Events that ask for an acknowledgement, so their messages carry the one-time link. */
const ASKS_FOR_ACK = new Set(['alarm.raised', 'alarm.escalated', 'alarm.reminder']);

/**
 * Robots allow 20 messages a minute (DingTalk and WeCom docs); a robot is shared by everyone
 * whose channel posts to it, so the bucket is per robot URL. SMS, voice and SMTP limits are the
 * provider's: their rate-limit answers retry with back-off.
 */
const ROBOT_RATE_PER_SECOND = 20 / 60;

/** Enterprise staff acknowledge as 'enterprise'; regional duty officers (值班员) as the monitoring centre's 'operator'. */
const roleOf = (p: Person): 'enterprise' | 'operator' =>
  p.scope.level === 'enterprise' ? 'enterprise' : 'operator';

/**
 * One attempt of one delivery to a person's channel, on the webhooks' machinery: the same
 * deliveries queue and job id, the same DeliveryRecord per attempt on yj.deliveries.v1 (target
 * `<channel>:<origin>`, subscriptionId `person.<personId>.<channelId>`), the same capped
 * back-off, the same failed set as dead letter that the operator API replays. A permanent
 * provider error dead-letters at once; a retryable one (timeout, 5xx, rate limit) throws so
 * BullMQ retries, and the last attempt is recorded as dead-lettered.
 */
export function createPersonDeliveryProcessor(deps: PersonDeliveryDeps) {
  const log = deps.logger.child({ component: 'person-delivery' });
  return async (job: Job, data: WebhookDeliveryJob, token?: string) => {
    const ref = data.person as NonNullable<WebhookDeliveryJob['person']>;
    const attempt = job.attemptsMade + 1;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    const alarm = data.payload.alarm;
    const ctx = {
      deliveryId: data.deliveryId,
      alarmId: alarm.alarmId,
      personId: ref.personId,
      channelId: ref.channelId,
      attempt,
    };
    const person = deps.registry.people().find((p) => p.id === ref.personId);
    const channel = person?.enabled ? person.channels.find((c) => c.id === ref.channelId) : undefined;
    const record = async (
      status: DeliveryRecord['status'],
      outcome: Partial<ChannelOutcome>,
      target: string,
    ) => {
      await deps.recorder.record({
        deliveryId: data.deliveryId,
        alarmId: alarm.alarmId,
        enterpriseId: alarm.enterpriseId,
        subscriptionId: data.subscriptionId,
        event: data.event,
        target,
        attempt,
        status,
        httpStatus: outcome.httpStatus ?? null,
        latencyMs: outcome.latencyMs ?? 0,
        ...('error' in outcome && outcome.error ? { error: outcome.error.slice(0, 500) } : {}),
        at: deps.now(),
      });
      deps.metrics.deliveries.inc({ status });
    };

    if (!person || !channel) {
      const err = dispatcherErrors.YJ_ERR_DISPATCH_SUBSCRIPTION_GONE(
        'the person or channel of a delivery no longer exists or is disabled',
      );
      await record('dead-lettered', { error: `${err.code}: ${err.message}` }, `person:${ref.personId}`);
      deps.metrics.deadLettered.inc({ subscription: data.subscriptionId });
      log.warn(ctx, 'person delivery dead-lettered: person or channel gone');
      throw new UnrecoverableError(`${err.code}: ${err.message}`);
    }
    const target = channelTarget(deps.adapters, channel);

    if (channel.kind === 'dingtalk' || channel.kind === 'wecom') {
      const waitMs = await deps.rateLimit.take(`robot.${channel.webhookUrl}`, ROBOT_RATE_PER_SECOND);
      if (waitMs > 0) {
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
    }

    const enterprise = deps.registry.enterprise(alarm.enterpriseId);
    const point = deps.registry.point(alarm.enterpriseId, alarm.point);
    const ackUrl =
      deps.ackLink && ASKS_FOR_ACK.has(data.event)
        ? `${deps.ackLink.baseUrl.replace(/\/$/, '')}/ack-links?token=${signAckLink(deps.ackLink.secret, {
            alarmId: alarm.alarmId,
            enterpriseId: alarm.enterpriseId,
            personId: person.id,
            personName: person.name,
            role: roleOf(person),
            nonce: data.deliveryId,
            exp: deps.now() + deps.ackLink.ttlMs,
          })}`
        : undefined;
    const notice = renderNotice({
      event: data.event,
      alarm,
      enterpriseName: enterprise?.name ?? alarm.enterpriseId,
      pointName: point?.name ?? alarm.point,
      unit: point?.unit,
      consoleUrl: `${deps.consoleBaseUrl.replace(/\/$/, '')}/alarms/${encodeURIComponent(alarm.alarmId)}`,
      ackUrl,
      stepNumber: data.payload.step ? data.payload.step.index + 1 : undefined,
    });
    const outcome = await sendThroughChannel(
      deps.adapters,
      channel,
      { event: data.event, deliveryId: data.deliveryId, notice },
      deps.timeoutMs,
    );
    deps.metrics.latency.observe({ status: outcome.kind }, outcome.latencyMs / 1000);

    if (outcome.kind === 'delivered') {
      await record('delivered', outcome, target);
      log.info({ ...ctx, channel: channel.kind, latencyMs: outcome.latencyMs }, 'person notified');
      return { httpStatus: outcome.httpStatus ?? 0, attempt };
    }
    deps.metrics.failures.inc({ subscription: data.subscriptionId });
    if (!outcome.retryable || lastAttempt) {
      await record('dead-lettered', outcome, target);
      deps.metrics.deadLettered.inc({ subscription: data.subscriptionId });
      log.warn(
        { ...ctx, channel: channel.kind, error: outcome.error, retryable: outcome.retryable },
        'person delivery dead-lettered',
      );
      if (!outcome.retryable) throw new UnrecoverableError(`${channel.kind}: ${outcome.error}`);
    } else {
      await record('failed', outcome, target);
      log.info(
        { ...ctx, channel: channel.kind, error: outcome.error },
        'person delivery attempt failed; will retry',
      );
    }
    throw dispatcherErrors.YJ_ERR_DISPATCH_WEBHOOK_FAILED(`${channel.kind}: ${outcome.error}`, {
      context: ctx,
    });
  };
}
