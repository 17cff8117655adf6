import type { AlarmTransition, AlarmTransitionEvent } from '@yujing/schemas';
import type { AlarmEmitter, TransitionExtras } from './alarm-emitter';
import type { RulesContext } from './compiled-enterprise';
import { type AlarmRecord, alarmState, type EnterpriseState } from './engine-state';

/**
 * Collects the transitions of one call (batch, command or tick). Created once per call, never per
 * reading: the no-change path allocates nothing.
 */
export class TransitionEmitter implements AlarmEmitter {
  readonly out: AlarmTransitionEvent[] = [];
  constructor(
    readonly ctx: RulesContext,
    readonly state: EnterpriseState,
    readonly now: number,
  ) {}

  emit(rec: AlarmRecord, transition: AlarmTransition, eventTime: number, extras?: TransitionExtras): void {
    const ev: AlarmTransitionEvent = {
      alarmId: rec.id,
      enterpriseId: this.ctx.enterpriseId,
      point: rec.point,
      rule: rec.rule,
      kind: rec.kind,
      level: rec.level,
      state: alarmState(rec),
      loop: rec.loop,
      transition,
      value: rec.value !== null && Number.isFinite(rec.value) ? rec.value : null,
      limit: rec.limit !== null && Number.isFinite(rec.limit) ? rec.limit : null,
      eventTime: Math.max(0, Math.round(eventTime)),
      emittedAt: this.now,
      episodeStart: rec.episodeStart,
      seq: rec.seq++,
    };
    if (rec.shelvedUntil > 0) ev.shelvedUntil = rec.shelvedUntil;
    if (this.ctx.region) ev.region = this.ctx.region;
    if (extras?.actor) ev.actor = extras.actor;
    if (extras?.comment) ev.comment = extras.comment;
    if (extras?.attachments?.length) ev.attachments = extras.attachments;
    if (extras?.loopDue) ev.loopDue = extras.loopDue;
    this.out.push(ev);
  }
}
