import type { Logger } from '@yujing/logger';
import { EscalationStepJob } from '@yujing/queues';
import type { Job } from 'bullmq';
import type { AlarmStateStore } from './alarm-state-store';
import type { DeliveryEnqueuer } from './delivery-enqueuer';
import { dispatcherErrors } from './dispatcher-errors';
import type { DispatcherMetrics } from './dispatcher-metrics';
import { reminderJob, stepEvent } from './escalation-plan';
import type { EscalationScheduler } from './escalation-scheduler';
import { followUpPeople } from './notify/person-recipients';
import { stepPeople } from './notify/step-people';
import { followUpRecipients, recipientsForStep } from './recipient-resolver';
import type { RegistryView } from './registry-view';

export interface EscalationProcessorDeps {
  registry: RegistryView;
  state: AlarmStateStore;
  scheduler: EscalationScheduler;
  deliveries: DeliveryEnqueuer;
  metrics: DispatcherMetrics;
  logger: Logger;
  now: () => number;
}

/** What a step job ends with (kept as the BullMQ return value: visible per job in Redis). */
export type StepResult =
  | { outcome: 'notified'; deliveries: string[] }
  | { outcome: 'skipped'; reason: string };

/**
 * Runs one due escalation step or reminder. The alarm's current state in Redis decides, not the
 * job's existence: a step whose job could not be removed (it was already running when the ack
 * came) finds the alarm acknowledged here and does nothing. Check and "mark notified" are one
 * atomic script, so a clear racing with a step either sees the step's recipients (and sends
 * them the resolution) or the step sees the clear (and sends nothing).
 */
export function createEscalationProcessor(deps: EscalationProcessorDeps) {
  const log = deps.logger.child({ component: 'escalation-processor' });
  return async (job: Job): Promise<StepResult> => {
    const parsed = EscalationStepJob.safeParse(job.data);
    if (!parsed.success) {
      throw dispatcherErrors.YJ_ERR_DISPATCH_JOB_INVALID(`escalation job ${job.id} is invalid`, {
        context: { jobId: job.id },
      });
    }
    const data = parsed.data;
    const target = data.target ?? 'followers';
    const skip = (reason: string): StepResult => {
      deps.metrics.steps.inc({ kind: data.kind, target, outcome: reason });
      log.info(
        { alarmId: data.alarmId, kind: data.kind, stepIndex: data.stepIndex, reason },
        'escalation step skipped',
      );
      return { outcome: 'skipped', reason };
    };
    const enterprise = deps.registry.enterprise(data.enterpriseId);
    if (!enterprise) return skip('unknown-enterprise');
    const current = await deps.state.get(data.alarmId);
    if (!current?.alarm) return skip('unknown-alarm');
    const level = current.alarm.level;

    if (data.kind === 'step' && data.target) {
      const event = stepEvent(data, current.baseMs);
      const recipients = recipientsForStep(
        data.target,
        enterprise,
        deps.registry.subscriptions(),
        event,
        level,
      );
      const people = stepPeople(
        deps.registry,
        { policyId: data.policyId, stepIndex: data.stepIndex, target: data.target },
        enterprise,
        level,
        deps.now(),
      );
      const claim = await deps.state.claim(data.alarmId, data.planVersion, data.unless, [
        ...recipients.map((r) => r.id),
        ...people.recipients.map((r) => r.id),
      ]);
      if (!claim.ok) return skip(claim.reason);
      const deliveries = await deps.deliveries.enqueue({
        alarm: claim.alarm,
        event,
        cause: `p${data.planVersion}-s${data.stepIndex}`,
        step: { index: data.stepIndex, target: data.target },
        recipients,
        people: people.recipients,
        nowMs: deps.now(),
      });
      // From when the step was due (a delayed step) or added (an immediate one).
      deps.metrics.alarmPath.observe(
        'step_job_to_delivery_job',
        deps.now() - Math.max(job.timestamp, data.dueAt),
      );
      deps.metrics.steps.inc({ kind: 'step', target, outcome: 'notified' });
      log.info(
        {
          alarmId: data.alarmId,
          enterpriseId: data.enterpriseId,
          stepIndex: data.stepIndex,
          target,
          event,
          recipients: recipients.length,
          people: people.recipients.length,
          ...(people.skipped.length > 0 ? { peopleSkipped: people.skipped } : {}),
        },
        'escalation step notified',
      );
      return { outcome: 'notified', deliveries };
    }

    // A reminder: to everyone notified so far, while the alarm stays unacknowledged.
    const claim = await deps.state.claim(data.alarmId, data.planVersion, 'acknowledged', []);
    if (!claim.ok) return skip(claim.reason);
    const recipients = followUpRecipients(
      claim.notified,
      enterprise,
      deps.registry.subscriptions(),
      'alarm.reminder',
      level,
    );
    const deliveries = await deps.deliveries.enqueue({
      alarm: claim.alarm,
      event: 'alarm.reminder',
      cause: `p${data.planVersion}-r${data.stepIndex}`,
      recipients,
      people: followUpPeople(claim.notified, deps.registry, enterprise, level, deps.now()),
      nowMs: deps.now(),
    });
    const policy = deps.registry.policies().find((p) => p.id === data.policyId);
    const next =
      policy &&
      reminderJob(
        {
          alarmId: data.alarmId,
          enterpriseId: data.enterpriseId,
          policy,
          planVersion: data.planVersion,
          origin: data.origin,
          baseMs: current.baseMs,
        },
        data.stepIndex + 1,
        data.dueAt,
      );
    if (next) await deps.scheduler.schedule([next], deps.now());
    deps.metrics.steps.inc({ kind: 'reminder', target, outcome: 'notified' });
    return { outcome: 'notified', deliveries };
  };
}
