import type { AlarmTransitionEvent } from '@yujing/schemas';
import { reannounce } from './alarm-commands';
import { advanceSlot, completeDelays } from './alarm-slot';
import { checkOverdue } from './closed-loop';
import type { RulesContext } from './compiled-enterprise';
import { RULE } from './compiled-rule';
import { type EnterpriseState, NO_TIME } from './engine-state';
import { GATEWAY_OFFLINE_RULE } from './evaluate-batch';
import { bindPoint } from './point-binding';
import { syncHold } from './point-holds';
import { TransitionEmitter } from './transition-emitter';
import { updateVote } from './vote-group';

export interface TickResult {
  state: EnterpriseState;
  transitions: AlarmTransitionEvent[];
}

/**
 * The wall-clock pass (the worker calls it about once a second): gateway offline and point
 * no-data (silence measured from `receivedAt`, so the episode start is deterministic:
 * last receipt + timeout), offline detectors voting in their group, delays that complete while
 * a point is silent, chatter windows that end, shelves that expire, and closed-loop steps whose
 * deadline passed (`loop-overdue`, once per step), and maintenance windows that begin or end
 * (suppress / out-of-service and back, point-holds.ts).
 *
 * A point whose gateway has sent nothing for longer than a live gateway would (more than one
 * sampling period of the point, and more than its no-data delay less one period) is silent because
 * of the gateway: its no-data rule waits, so a dead gateway gives one gateway-offline alarm, not one
 * no-data alarm per point. After the gateway's return (`resumedAt`), a point's silence counts from
 * then: a point still silent `afterMs` later raises its own no-data alarm.
 */
export function tick(state: EnterpriseState, ctx: RulesContext, now: number): TickResult {
  const em = new TransitionEmitter(ctx, state, now);
  const opts = ctx.options;
  for (const [gatewayId, gs] of state.gateways) {
    const timeout = ctx.gatewayTimeoutMs.get(gatewayId) ?? opts.defaultGatewayTimeoutMs;
    const label = `gateway:${gatewayId}`;
    if (
      gs.lastReceivedAt !== NO_TIME &&
      now - gs.lastReceivedAt > timeout &&
      !(gs.slot.alarm?.active ?? false)
    ) {
      advanceSlot(
        gs.slot,
        1,
        opts.gatewayOfflineLevel,
        gs.lastReceivedAt + timeout,
        Number.NaN,
        timeout,
        label,
        GATEWAY_OFFLINE_RULE,
        em,
      );
    } else if (gs.slot.chattering)
      completeDelays(gs.slot, now - gs.lastReceivedAt, label, GATEWAY_OFFLINE_RULE, em);
  }
  for (const [code, existing] of state.points) {
    const cp = ctx.points.get(code);
    if (cp === undefined) continue;
    const ps = existing.boundTo === cp ? existing : bindPoint(state, cp);
    if (ps.lastReceivedAt === NO_TIME) continue;
    const quiet = now - ps.lastReceivedAt;
    const gw = state.gateways.get(cp.gatewayId);
    const gatewayQuiet = gw === undefined ? 0 : now - gw.lastReceivedAt;
    // After a gateway outage the point's silence counts from the gateway's return.
    const silentSince =
      gw !== undefined && gw.resumedAt > ps.lastReceivedAt ? gw.resumedAt : ps.lastReceivedAt;
    const offline = quiet > cp.offlineAfterMs;
    for (let i = 0; i < cp.rules.length; i++) {
      const rule = cp.rules[i]!;
      const slot = ps.slots[i]!;
      if (rule.t === RULE.noData) {
        // The gateway sent nothing for longer than a live one would (other points report every
        // period): the point is silent because its gateway is. A dead gateway has been silent
        // > afterMs − period when the point's delay ends; a live one at most about one period.
        const gatewaySilent =
          gatewayQuiet > Math.max(cp.samplingPeriodMs, rule.afterMs - cp.samplingPeriodMs);
        if (now - silentSince > rule.afterMs && !gatewaySilent && !(slot.alarm?.active ?? false)) {
          advanceSlot(
            slot,
            1,
            rule.level,
            silentSince + rule.afterMs,
            Number.NaN,
            rule.afterMs,
            code,
            rule,
            em,
          );
        }
      } else if (
        slot.pendingSince !== NO_TIME ||
        slot.offSince !== NO_TIME ||
        slot.deSince !== NO_TIME ||
        slot.chattering
      ) {
        completeDelays(slot, quiet, code, rule, em);
      }
    }
    if (cp.vote !== null) {
      const bits = offline ? ps.voteBits | 4 : ps.voteBits & ~4;
      if (bits !== ps.voteBits) updateVote(state, cp, ps, bits, ps.lastReceivedAt + cp.offlineAfterMs, em);
    }
  }
  for (const [groupId, gs] of state.groups) {
    const group = ctx.groups.get(groupId);
    if (group && gs.slot.chattering)
      completeDelays(gs.slot, Number.POSITIVE_INFINITY, group.label, group.rule, em);
  }
  const deadlines = ctx.loopDeadlines;
  for (const rec of state.alarms.values()) {
    if (rec.shelvedUntil > 0 && now >= rec.shelvedUntil) {
      const until = rec.shelvedUntil;
      rec.shelvedUntil = 0;
      reannounce(state, rec, ctx.options.maxSettledAlarms);
      em.emit(rec, 'shelve-expired', until);
    }
    if (!rec.settled && (ctx.holds.length > 0 || rec.heldBy !== null))
      syncHold(rec, ctx.holds, em, (r) => reannounce(state, r, ctx.options.maxSettledAlarms));
    if (deadlines.size > 0 && rec.loop !== 'closed') checkOverdue(rec, deadlines, em);
  }
  return { state, transitions: em.out };
}
