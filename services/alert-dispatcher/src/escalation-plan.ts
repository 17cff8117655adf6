import { createHash } from 'node:crypto';
import type { EscalationStepJob } from '@yujing/queues';
import type { EscalationPolicy, WebhookEventType } from '@yujing/schemas';

/**
 * Pure planning of an alarm's escalation: which steps are due when, the reminder back-off, and
 * the deterministic BullMQ job ids that make scheduling idempotent. No clock, no I/O.
 */

export type PlanOrigin = 'raise' | 'escalate';

export interface PlanInput {
  alarmId: string;
  enterpriseId: string;
  policy: EscalationPolicy;
  /** The seq of the transition that made the plan: deterministic, rises with every re-plan. */
  planVersion: number;
  origin: PlanOrigin;
  /** Wall-clock time the plan counts from (the transition's emittedAt), epoch ms. */
  baseMs: number;
}

/** The escalation step jobs of one plan (reminders are chained one at a time, see `reminderJob`). */
export function planSteps(input: PlanInput): EscalationStepJob[] {
  return input.policy.steps.map((step, stepIndex) => ({
    alarmId: input.alarmId,
    enterpriseId: input.enterpriseId,
    policyId: input.policy.id,
    stepIndex,
    target: step.notify,
    unless: step.unless,
    planVersion: input.planVersion,
    origin: input.origin,
    kind: 'step',
    dueAt: input.baseMs + step.afterMs,
  }));
}

type Reminder = NonNullable<EscalationPolicy['reminder']>;

/** Gap before reminder `n` (0-based): firstMs, then × factor each time, capped at maxMs. */
export function reminderGapMs(reminder: Reminder, n: number): number {
  return Math.min(reminder.maxMs, Math.round(reminder.firstMs * reminder.factor ** n));
}

/**
 * Reminder `n` of a plan, due `reminderGapMs(n)` after the previous one (or after the plan's
 * base for n = 0); undefined once `maxCount` reminders were sent or the policy has none.
 */
export function reminderJob(
  input: PlanInput,
  n: number,
  previousDueMs = input.baseMs,
): EscalationStepJob | undefined {
  const reminder = input.policy.reminder;
  if (!reminder || n >= reminder.maxCount) return undefined;
  return {
    alarmId: input.alarmId,
    enterpriseId: input.enterpriseId,
    policyId: input.policy.id,
    stepIndex: n,
    unless: 'acknowledged',
    planVersion: input.planVersion,
    origin: input.origin,
    kind: 'reminder',
    dueAt: previousDueMs + reminderGapMs(reminder, n),
  };
}

/** The webhook event a step sends: at the raise itself 'alarm.raised', later or after a re-plan 'alarm.escalated'. */
export function stepEvent(
  job: Pick<EscalationStepJob, 'origin' | 'kind' | 'dueAt'>,
  baseMs: number,
): WebhookEventType {
  if (job.kind === 'reminder') return 'alarm.reminder';
  return job.origin === 'raise' && job.dueAt <= baseMs ? 'alarm.raised' : 'alarm.escalated';
}

/** A short stable digest of an alarm id: BullMQ job ids must not contain ':' and alarm ids do. */
export function alarmDigest(alarmId: string): string {
  return createHash('sha256').update(alarmId).digest('hex').slice(0, 24);
}

/** BullMQ job id of a step or reminder: same alarm, plan and step → same id, so a replay adds nothing. */
export function escalationJobId(
  job: Pick<EscalationStepJob, 'alarmId' | 'planVersion' | 'kind' | 'stepIndex'>,
): string {
  return `esc-${alarmDigest(job.alarmId)}-p${job.planVersion}-${job.kind === 'step' ? 's' : 'r'}${job.stepIndex}`;
}

/** Every job id a plan may have put in the queue: its steps and its possible reminders. */
export function planJobIds(
  alarmId: string,
  planVersion: number,
  stepCount: number,
  reminderCount: number,
): string[] {
  const ids: string[] = [];
  for (let i = 0; i < stepCount; i++)
    ids.push(escalationJobId({ alarmId, planVersion, kind: 'step', stepIndex: i }));
  for (let n = 0; n < reminderCount; n++)
    ids.push(escalationJobId({ alarmId, planVersion, kind: 'reminder', stepIndex: n }));
  return ids;
}

/**
 * The delivery id (X-Yujing-Delivery, also the BullMQ job id) of one notice to one subscriber:
 * derived from what causes the notice, so the same cause never makes a second delivery.
 */
export function deliveryIdFor(alarmId: string, cause: string, subscriptionId: string): string {
  const digest = createHash('sha256').update(`${alarmId}\u0000${cause}\u0000${subscriptionId}`).digest('hex');
  return `dlv-${digest.slice(0, 32)}`;
}
