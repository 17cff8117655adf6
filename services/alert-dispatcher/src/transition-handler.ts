import type { Logger } from '@yujing/logger';
import type { AlarmTransitionEvent, Enterprise, WebhookEventType } from '@yujing/schemas';
import type { AlarmStateStore, PlanRef } from './alarm-state-store';
import type { DeliveryEnqueuer } from './delivery-enqueuer';
import type { DispatcherMetrics } from './dispatcher-metrics';
import {
  escalationJobId,
  type PlanInput,
  type PlanOrigin,
  planJobIds,
  planSteps,
  reminderJob,
} from './escalation-plan';
import type { EscalationScheduler } from './escalation-scheduler';
import { followUpPeople, peopleForStep } from './notify/person-recipients';
import { followUpRecipients, recipientsForStep } from './recipient-resolver';
import type { RegistryView } from './registry-view';

export interface TransitionDeps {
  registry: RegistryView;
  state: AlarmStateStore;
  scheduler: EscalationScheduler;
  deliveries: DeliveryEnqueuer;
  metrics: DispatcherMetrics;
  logger: Logger;
  now: () => number;
  /** A raise/escalate older than this is remembered but not escalated (first start of a new group replays history). */
  maxAlarmAgeMs: number;
}

export type HandleOutcome = 'handled' | 'duplicate' | 'unknown-enterprise';

const PAUSE = new Set(['shelve', 'suppress', 'out-of-service']);
const RESUME = new Set(['unshelve', 'shelve-expired', 'unsuppress', 'in-service']);

/**
 * What one alarm transition does to the alarm's escalation. Side effects are idempotent
 * (deterministic job and delivery ids) and the transition's seq is committed last, so a
 * transition consumed twice — or re-consumed after a crash — changes nothing the second time.
 *
 * - raise / escalate (re-alarm, severity rise): (re-)plan the policy's steps and reminders;
 * - ack: cancel steps that stop on acknowledgement and the reminders; notify who was notified;
 * - rtn: the condition is gone — stop escalating (no notice; the clear brings it), but the raise's
 *   immediate steps (afterMs 0) still go out: after a rules-worker outage its catch-up emits a raise
 *   and its rtn milliseconds apart, and that alarm happened and is unacknowledged (docs/reliability.md);
 * - clear: cancel everything; 'alarm.resolved' to everyone notified;
 * - close (销号): cancel everything; 'alarm.closed' to everyone notified;
 * - shelve / suppress / out-of-service: pause; their reverse re-plans an alarm still unacknowledged;
 * - deescalate (e.g. level 1 → 3): follow the less severe level's chain from now on — its steps not
 *   yet due, counted from the original plan's base, replace the severe plan (none left → stop);
 * - loop-overdue (a closed-loop step missed its deadline): 'loop.overdue' to every target of the
 *   alarm's chain (docs/closed-loop.md), the supervision notice, once per missed step.
 */
export class TransitionHandler {
  readonly #log: Logger;

  constructor(private readonly deps: TransitionDeps) {
    this.#log = deps.logger.child({ component: 'transition-handler' });
  }

  /** `startedAt`: when the consumer began handling the record (for the alarm-path hop). */
  async handle(ev: AlarmTransitionEvent, startedAt = this.deps.now()): Promise<HandleOutcome> {
    const { state } = this.deps;
    if (await state.seen(ev.alarmId, ev.seq)) return 'duplicate';
    const enterprise = this.deps.registry.enterprise(ev.enterpriseId);
    if (!enterprise) return 'unknown-enterprise';

    switch (ev.transition) {
      case 'raise':
        await this.#plan(ev, enterprise, 'raise', startedAt);
        break;
      case 'escalate':
        await this.#plan(ev, enterprise, 'escalate', startedAt);
        break;
      case 'deescalate':
        await this.#deescalate(ev, enterprise, startedAt);
        break;
      case 'loop-overdue':
        await state.update(ev, {});
        await this.#supervise(ev, enterprise);
        break;
      case 'ack': {
        const { plan, notified } = await state.update(ev, { acked: true });
        await this.#cancel(ev.alarmId, plan, 'acknowledged');
        await this.#notify(ev, enterprise, notified, 'alarm.acknowledged', `ack-${ev.seq}`);
        break;
      }
      case 'rtn': {
        // Not `cleared`: the claim of a still-queued immediate step must pass (the clear sets it).
        const { plan } = await state.update(ev, {});
        await this.#cancel(ev.alarmId, plan, 'returned');
        break;
      }
      case 'clear':
      case 'close': {
        const { plan, notified } = await state.update(ev, { cleared: true });
        await this.#cancel(ev.alarmId, plan, 'all');
        const event: WebhookEventType = ev.transition === 'clear' ? 'alarm.resolved' : 'alarm.closed';
        await this.#notify(
          ev,
          enterprise,
          notified,
          event,
          ev.transition === 'clear' ? 'resolved' : 'closed',
        );
        break;
      }
      default:
        if (PAUSE.has(ev.transition)) {
          const { plan } = await state.update(ev, { paused: true });
          await this.#cancel(ev.alarmId, plan, 'all');
        } else if (RESUME.has(ev.transition) && ev.state === 'active-unack') {
          await this.#plan(ev, enterprise, 'escalate', startedAt);
        } else {
          // verify, dispose, feedback, comment, chatter…: keep the latest event for later notices.
          await state.update(ev, RESUME.has(ev.transition) ? { paused: false } : {});
        }
    }
    await state.commitSeq(ev.alarmId, ev.seq);
    return 'handled';
  }

  /**
   * The alarm dropped to a less severe level: its chain replaces the severe one. Counted from the
   * original plan's base (the alarm's age stays what it is); steps already due are not repeated —
   * whoever they name was either notified under the severe chain or is not on the lighter one.
   */
  async #deescalate(ev: AlarmTransitionEvent, enterprise: Enterprise, startedAt: number): Promise<void> {
    const current = await this.deps.state.get(ev.alarmId);
    if (!current || current.paused || ev.state !== 'active-unack') {
      // Acknowledged, paused or unknown: nothing is escalating; remember the level for later notices.
      await this.deps.state.update(ev, {});
      return;
    }
    const policy = this.deps.registry.policyFor(enterprise.classification.code, ev.level);
    if (!policy) {
      const { plan } = await this.deps.state.update(ev, {});
      await this.#cancel(ev.alarmId, plan, 'all');
      this.#log.info(
        { alarmId: ev.alarmId, level: ev.level },
        'de-escalated below every policy; escalation stopped',
      );
      return;
    }
    await this.#plan(ev, enterprise, 'escalate', startedAt, { baseMs: current.baseMs, onlyFuture: true });
  }

  /** 'loop.overdue' to the subscriptions of every target on the alarm's chain (scope-checked as any step). */
  async #supervise(ev: AlarmTransitionEvent, enterprise: Enterprise): Promise<void> {
    const policy = this.deps.registry.policyFor(enterprise.classification.code, ev.level);
    const targets = [...new Set(policy?.steps.map((s) => s.notify) ?? ['enterprise' as const])];
    const subscriptions = this.deps.registry.subscriptions();
    const recipients = targets.flatMap((t) =>
      recipientsForStep(t, enterprise, subscriptions, 'loop.overdue', ev.level),
    );
    const step = ev.loopDue?.step ?? 'loop';
    await this.deps.deliveries.enqueue({
      alarm: ev,
      event: 'loop.overdue',
      cause: `overdue-${step}`,
      recipients,
      // 督办: the people on duty along the chain now (each target's default duty roles).
      people: targets.flatMap(
        (t) =>
          peopleForStep({
            view: this.deps.registry,
            target: t,
            enterprise,
            level: ev.level,
            nowMs: this.deps.now(),
          }).recipients,
      ),
      nowMs: this.deps.now(),
    });
    this.deps.metrics.steps.inc({ kind: 'supervision', target: 'all', outcome: 'notified' });
    this.#log.info(
      { alarmId: ev.alarmId, step, recipients: recipients.length },
      'closed-loop step overdue; supervision notice sent',
    );
  }

  async #plan(
    ev: AlarmTransitionEvent,
    enterprise: Enterprise,
    origin: PlanOrigin,
    startedAt: number,
    from?: { baseMs: number; onlyFuture: boolean },
  ): Promise<void> {
    const { registry, state, scheduler } = this.deps;
    const policy = registry.policyFor(enterprise.classification.code, ev.level);
    const log = this.#log.child({ alarmId: ev.alarmId, enterpriseId: ev.enterpriseId });
    if (!policy) {
      // Not an error: a policy set may deliberately not escalate minor levels. Keep the state.
      await state.update(ev, { acked: ev.state !== 'active-unack' });
      log.info(
        { level: ev.level, classCode: enterprise.classification.code },
        'no escalation policy for alarm',
      );
      return;
    }
    const ageMs = this.deps.now() - ev.emittedAt;
    if (ageMs > this.deps.maxAlarmAgeMs) {
      // Replayed history (a new consumer group starts at the beginning): do not page regulators for it.
      await state.update(ev, { acked: ev.state !== 'active-unack' });
      this.deps.metrics.steps.inc({ kind: 'plan', target: 'all', outcome: 'too-old' });
      log.warn(
        { ageMs, maxAlarmAgeMs: this.deps.maxAlarmAgeMs },
        'alarm transition too old to escalate; recorded only',
      );
      return;
    }
    const input: PlanInput = {
      alarmId: ev.alarmId,
      enterpriseId: ev.enterpriseId,
      policy,
      planVersion: ev.seq,
      origin,
      baseMs: from?.baseMs ?? ev.emittedAt,
    };
    const nowMs = this.deps.now();
    const due = (job: { dueAt: number }) => !from?.onlyFuture || job.dueAt > nowMs;
    const steps = planSteps(input).filter(due);
    const reminder = reminderJob(input, 0);
    const firstReminder = reminder && due(reminder) ? reminder : undefined;
    const { written, previous } = await state.startPlan(ev, {
      planVersion: input.planVersion,
      policyId: policy.id,
      stepCount: policy.steps.length,
      reminderCount: policy.reminder?.maxCount ?? 0,
      baseMs: input.baseMs,
      acked: ev.state !== 'active-unack',
    });
    if (!written) return; // a newer plan exists already (out-of-order replay)
    if (previous && previous.planVersion !== input.planVersion)
      await this.#cancel(ev.alarmId, previous, 'all');
    await scheduler.schedule(firstReminder ? [...steps, firstReminder] : steps, this.deps.now());
    this.deps.metrics.alarmPath.observe('dispatcher_to_step_job', this.deps.now() - startedAt);
    log.info(
      { policyId: policy.id, planVersion: input.planVersion, origin, steps: steps.length },
      'escalation planned',
    );
  }

  async #cancel(
    alarmId: string,
    plan: PlanRef | undefined,
    which: 'acknowledged' | 'returned' | 'all',
  ): Promise<void> {
    if (!plan) return;
    let ids = planJobIds(alarmId, plan.planVersion, plan.stepCount, plan.reminderCount);
    if (which === 'returned') {
      // The immediate steps were due at the raise itself: they stay, everything later goes.
      const policy = this.deps.registry.policies().find((p) => p.id === plan.policyId);
      const keep = new Set(
        (policy?.steps ?? []).flatMap((s, i) =>
          s.afterMs === 0
            ? [escalationJobId({ alarmId, planVersion: plan.planVersion, kind: 'step', stepIndex: i })]
            : [],
        ),
      );
      ids = ids.filter((id) => !keep.has(id));
    }
    if (which === 'acknowledged') {
      // Steps with `unless: cleared` keep running after an ack; the processor re-checks anyway.
      const policy = this.deps.registry.policies().find((p) => p.id === plan.policyId);
      const keep = new Set(
        (policy?.steps ?? []).flatMap((s, i) =>
          s.unless === 'cleared'
            ? [escalationJobId({ alarmId, planVersion: plan.planVersion, kind: 'step', stepIndex: i })]
            : [],
        ),
      );
      ids = ids.filter((id) => !keep.has(id));
    }
    const { removed, busy } = await this.deps.scheduler.cancel(ids);
    if (removed + busy > 0) this.#log.info({ alarmId, removed, busy, which }, 'escalation cancelled');
  }

  async #notify(
    ev: AlarmTransitionEvent,
    enterprise: Enterprise,
    notified: readonly string[],
    event: WebhookEventType,
    cause: string,
  ): Promise<void> {
    const recipients = followUpRecipients(
      notified,
      enterprise,
      this.deps.registry.subscriptions(),
      event,
      ev.level,
    );
    const people = followUpPeople(notified, this.deps.registry, enterprise, ev.level, this.deps.now());
    await this.deps.deliveries.enqueue({
      alarm: ev,
      event,
      cause,
      recipients,
      people,
      nowMs: this.deps.now(),
    });
  }
}
