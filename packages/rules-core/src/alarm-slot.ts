import {
  type AlarmRecord,
  type EnterpriseState,
  isSilenced,
  NO_TIME,
  type SlotRule,
  type SlotState,
} from './engine-state';

export type { SlotRule } from './engine-state';

import { syncHold } from './point-holds';
import type { TransitionEmitter } from './transition-emitter';

/** What a slot needs to know about its rule: identity and delays. */
/**
 * Moves a slot given the condition observed at event time `ts`: on-delay before activation,
 * immediate escalation, held de-escalation, off-delay before return. `cond` 0 = condition absent.
 * Allocates nothing unless a transition happens.
 */
export function advanceSlot(
  slot: SlotState,
  cond: number,
  level: number,
  ts: number,
  value: number,
  limit: number,
  label: string,
  rule: SlotRule,
  em: TransitionEmitter,
): void {
  slot.cond = cond;
  slot.level = level;
  slot.value = value;
  slot.limit = limit;
  const rec = slot.alarm;
  if (cond !== 0) {
    slot.offSince = NO_TIME;
    if (rec === null || !rec.active) {
      if (slot.pendingSince === NO_TIME) slot.pendingSince = ts;
      if (ts - slot.pendingSince >= rule.onDelayMs) activate(slot, ts, label, rule, em);
    } else {
      rec.value = value;
      rec.limit = limit;
      if (level < rec.level) escalate(slot, rec, ts, em);
      else if (level > rec.level) {
        if (slot.deSince === NO_TIME) slot.deSince = ts;
        if (ts - slot.deSince >= em.ctx.options.deescalateHoldMs) deescalate(slot, rec, ts, em);
      } else slot.deSince = NO_TIME;
    }
  } else {
    slot.pendingSince = NO_TIME;
    slot.deSince = NO_TIME;
    if (rec?.active) {
      if (slot.offSince === NO_TIME) slot.offSince = ts;
      if (ts - slot.offSince >= rule.offDelayMs) deactivate(slot, rec, ts, em);
    }
  }
  if (slot.chattering && ts - slot.act0 > em.ctx.options.chatterWindowMs) endChatter(slot, ts, em);
}

/**
 * Completes delays on the wall clock when the point has been silent for at least the delay:
 * with no newer reading, the last observed condition is taken to persist.
 */
export function completeDelays(
  slot: SlotState,
  quietMs: number,
  label: string,
  rule: SlotRule,
  em: TransitionEmitter,
): void {
  const rec = slot.alarm;
  const now = em.now;
  if (
    slot.pendingSince !== NO_TIME &&
    slot.cond !== 0 &&
    quietMs >= rule.onDelayMs &&
    now - slot.pendingSince >= rule.onDelayMs
  ) {
    activate(slot, slot.pendingSince + rule.onDelayMs, label, rule, em);
  }
  if (rec === null) return;
  const hold = em.ctx.options.deescalateHoldMs;
  if (slot.deSince !== NO_TIME && rec.active && quietMs >= hold && now - slot.deSince >= hold) {
    deescalate(slot, rec, slot.deSince + hold, em);
  }
  if (
    slot.offSince !== NO_TIME &&
    rec.active &&
    quietMs >= rule.offDelayMs &&
    now - slot.offSince >= rule.offDelayMs
  ) {
    deactivate(slot, rec, slot.offSince + rule.offDelayMs, em);
  }
  if (slot.chattering && now - slot.act0 > em.ctx.options.chatterWindowMs) endChatter(slot, now, em);
}

function activate(slot: SlotState, ts: number, label: string, rule: SlotRule, em: TransitionEmitter): void {
  const start = slot.pendingSince === NO_TIME ? ts : slot.pendingSince;
  slot.pendingSince = NO_TIME;
  slot.act2 = slot.act1;
  slot.act1 = slot.act0;
  slot.act0 = ts;
  const opts = em.ctx.options;
  const need = Math.min(3, Math.max(2, opts.chatterCount));
  const oldest = need === 2 ? slot.act1 : slot.act2;
  const chatterNow = !slot.chattering && oldest !== NO_TIME && ts - oldest <= opts.chatterWindowMs;
  let rec = slot.alarm;
  let isNew = false;
  if (rec === null) {
    // join builds one flat string (a template literal would keep a tree of cons strings alive).
    const id = [em.ctx.enterpriseId, label, rule.id, start].join(':');
    const known = em.state.alarms.get(id);
    if (known) {
      // The same episode replayed: continue its record, never a second alarm with this id.
      rec = known;
      rec.settled = false;
    } else {
      rec = newRecord(id, label, rule, start, slot);
      em.state.alarms.set(id, rec);
      isNew = true;
    }
    slot.alarm = rec;
  }
  rec.active = true;
  rec.acked = false;
  rec.level = slot.level;
  rec.value = slot.value;
  rec.limit = slot.limit;
  // A maintenance window covering the point holds the alarm back from its first moment.
  if (em.ctx.holds.length > 0) syncHold(rec, em.ctx.holds, em, () => undefined);
  const silent = isSilenced(rec);
  if (!silent && !slot.chattering && (isNew || !chatterNow)) em.emit(rec, 'raise', ts);
  if (chatterNow) {
    slot.chattering = true;
    if (!silent) em.emit(rec, 'chatter', ts);
  }
}

function newRecord(id: string, label: string, rule: SlotRule, start: number, slot: SlotState): AlarmRecord {
  return {
    id,
    point: label,
    rule: rule.id,
    kind: rule.kind,
    level: slot.level,
    episodeStart: start,
    seq: 0,
    active: true,
    acked: false,
    shelvedUntil: 0,
    suppressed: false,
    outOfService: false,
    loop: 'open',
    overdueIndex: -1,
    heldBy: null,
    value: slot.value,
    limit: slot.limit,
    settled: false,
  };
}

function escalate(slot: SlotState, rec: AlarmRecord, ts: number, em: TransitionEmitter): void {
  slot.deSince = NO_TIME;
  rec.level = slot.level;
  rec.acked = false;
  if (!isSilenced(rec)) em.emit(rec, 'escalate', ts);
}

function deescalate(slot: SlotState, rec: AlarmRecord, ts: number, em: TransitionEmitter): void {
  slot.deSince = NO_TIME;
  rec.level = slot.level;
  if (!isSilenced(rec) && !slot.chattering) em.emit(rec, 'deescalate', ts);
}

function deactivate(slot: SlotState, rec: AlarmRecord, ts: number, em: TransitionEmitter): void {
  slot.offSince = NO_TIME;
  slot.deSince = NO_TIME;
  rec.active = false;
  rec.value = slot.value;
  if (!isSilenced(rec) && !slot.chattering) em.emit(rec, rec.acked ? 'clear' : 'rtn', ts);
  settleIfNormal(slot, em.state, em.ctx.options.maxSettledAlarms);
}

function endChatter(slot: SlotState, ts: number, em: TransitionEmitter): void {
  slot.chattering = false;
  const rec = slot.alarm;
  if (rec === null || rec.active || isSilenced(rec)) return;
  em.emit(rec, rec.acked ? 'clear' : 'rtn', ts);
  settleIfNormal(slot, em.state, em.ctx.options.maxSettledAlarms);
}

/** A normal, annunciated, non-chattering alarm leaves its slot: the next activation is a new episode. */
export function settleIfNormal(slot: SlotState, state: EnterpriseState, maxSettled: number): void {
  const rec = slot.alarm;
  if (rec === null || rec.active || !rec.acked || isSilenced(rec) || slot.chattering) return;
  rec.settled = true;
  slot.alarm = null;
  pruneSettled(state, maxSettled);
}

/**
 * Bounds memory: drops the oldest settled alarms whose closed loop is closed (销号) beyond
 * `maxSettled`. An alarm that is active, or whose loop is still open, is never dropped: it is the
 * only copy the changelog snapshots carry, and verify/dispose/feedback/close must still find it.
 */
export function pruneSettled(state: EnterpriseState, maxSettled: number): void {
  if (state.alarms.size <= maxSettled) return;
  for (const [id, rec] of state.alarms) {
    if (state.alarms.size <= maxSettled) break;
    if (rec.settled && rec.loop === 'closed') state.alarms.delete(id);
  }
}
