import type { AlarmTransitionEvent, NormalisedReading } from '@yujing/schemas';
import { advanceSlot } from './alarm-slot';
import type { CompiledPoint, RulesContext } from './compiled-enterprise';
import { compare, RULE } from './compiled-rule';
import { type EnterpriseState, type GatewayState, NO_TIME, type PointState, SlotState } from './engine-state';
import { bindPoint } from './point-binding';
import { TransitionEmitter } from './transition-emitter';
import { updateVote } from './vote-group';
import { rateCondition, ratePerMin, trendCondition, trendFigure } from './window-rules';

/** The part of a ReadingBatch the engine reads. */
export interface BatchInput {
  gatewayId: string;
  receivedAt: number;
  readings: readonly NormalisedReading[];
}

export interface EvaluationResult {
  /** The same state object, updated in place (the caller owns it). */
  state: EnterpriseState;
  transitions: AlarmTransitionEvent[];
  evaluated: number;
  outOfOrder: number;
  unknownPoints: number;
  invalid: number;
}

export const GATEWAY_OFFLINE_RULE = {
  id: 'offline',
  kind: 'gateway-offline',
  onDelayMs: 0,
  offDelayMs: 0,
} as const;

/**
 * Evaluates one reading batch in event time. Readings not newer than their point's last
 * evaluated time are counted and skipped (late data never re-raises a settled alarm); unknown
 * points and non-finite values are counted. `now` (wall clock) only stamps `emittedAt`.
 */
export function evaluateBatch(
  state: EnterpriseState,
  batch: BatchInput,
  ctx: RulesContext,
  now: number,
): EvaluationResult {
  const em = new TransitionEmitter(ctx, state, now);
  const gs = touchGateway(state, batch, em);
  // A gateway sends its points in much the same order each time: the point states of its last
  // batch, by position, spare the map lookup when the code at that position is the same.
  let order = gs.order;
  if (order === undefined) {
    order = [];
    gs.order = order;
  }
  let evaluated = 0;
  let outOfOrder = 0;
  let unknownPoints = 0;
  let invalid = 0;
  const readings = batch.readings;
  const points = ctx.points;
  for (let i = 0; i < readings.length; i++) {
    const r = readings[i]!;
    // A state already bound to a point of this context names its compiled point: one lookup.
    const seen = i < order.length ? order[i]! : undefined;
    let ps = seen !== undefined && seen.code === r.point ? seen : state.points.get(r.point);
    const bound = ps === undefined ? null : (ps.boundTo as CompiledPoint | null);
    const cp = bound !== null && bound.compiledIn === points ? bound : points.get(r.point);
    if (cp === undefined) {
      unknownPoints++;
      continue;
    }
    const ts = r.ts;
    const v = r.v;
    if (!Number.isFinite(ts) || !Number.isFinite(v)) {
      invalid++;
      continue;
    }
    if (ps === undefined || cp !== bound) ps = bindPoint(state, cp);
    if (ps !== seen) order[i] = ps;
    if (ts <= ps.lastTs) {
      outOfOrder++;
      continue;
    }
    evaluatePoint(
      state,
      cp,
      ps,
      ts,
      v,
      r.q === 'bad' ? 2 : r.q === 'uncertain' ? 1 : 0,
      batch.receivedAt,
      em,
    );
    evaluated++;
  }
  state.outOfOrder += outOfOrder;
  state.unknownPoints += unknownPoints;
  state.invalid += invalid;
  return { state, transitions: em.out, evaluated, outOfOrder, unknownPoints, invalid };
}

function touchGateway(state: EnterpriseState, batch: BatchInput, em: TransitionEmitter): GatewayState {
  let gs = state.gateways.get(batch.gatewayId);
  if (gs === undefined) {
    gs = { lastReceivedAt: NO_TIME, resumedAt: NO_TIME, slot: new SlotState(state.numbers) };
    state.gateways.set(batch.gatewayId, gs);
  }
  const silence = em.ctx.gatewayMinSilenceMs.get(batch.gatewayId);
  if (
    gs.lastReceivedAt !== NO_TIME &&
    silence !== undefined &&
    batch.receivedAt - gs.lastReceivedAt > silence
  )
    gs.resumedAt = batch.receivedAt;
  if (batch.receivedAt > gs.lastReceivedAt) gs.lastReceivedAt = batch.receivedAt;
  if (gs.slot.alarm?.active) {
    advanceSlot(
      gs.slot,
      0,
      0,
      batch.receivedAt,
      Number.NaN,
      Number.NaN,
      `gateway:${batch.gatewayId}`,
      GATEWAY_OFFLINE_RULE,
      em,
    );
  }
  return gs;
}

function evaluatePoint(
  state: EnterpriseState,
  cp: CompiledPoint,
  ps: PointState,
  ts: number,
  v: number,
  q: number,
  receivedAt: number,
  em: TransitionEmitter,
): void {
  if (v === ps.lastValue) ps.sameCount++;
  else {
    ps.sameCount = 1;
    ps.sameSince = ts;
  }
  ps.lastTs = ts;
  ps.lastValue = v;
  ps.lastQuality = q;
  ps.lastReceivedAt = receivedAt;
  const rules = cp.rules;
  const slots = ps.slots;
  let faulted = q === 2;
  if (cp.faultIndex >= 0) {
    const rule = rules[cp.faultIndex]!;
    const slot = slots[cp.faultIndex]!;
    const fault =
      (rule.badQuality && q === 2) ||
      (rule.outOfRange && (v < rule.rangeMin || v > rule.rangeMax)) ||
      (rule.frozenSamples > 0 && ps.sameCount >= rule.frozenSamples) ||
      (rule.frozenMs > 0 && ps.sameCount > 1 && ts - ps.sameSince >= rule.frozenMs);
    faulted = faulted || fault;
    if (fault || slot.alarm !== null || slot.pendingSince !== NO_TIME) {
      advanceSlot(slot, fault ? 1 : 0, rule.level, ts, v, Number.NaN, cp.code, rule, em);
    }
  }
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const slot = slots[i]!;
    switch (rule.t) {
      case RULE.threshold: {
        // An unreliable value neither raises nor clears: a faulted sensor keeps its alarm (fail-safe).
        if (faulted) break;
        const c = slot.cond;
        const db = rule.deadband;
        let cond = 0;
        if (v >= rule.hh || (c === 1 && v > rule.hh - db)) cond = 1;
        else if (v >= rule.h || ((c === 1 || c === 2) && v > rule.h - db)) cond = 2;
        else if (v <= rule.ll || (c === 4 && v < rule.ll + db)) cond = 4;
        else if (v <= rule.l || ((c === 3 || c === 4) && v < rule.l + db)) cond = 3;
        if (cond === 0 && c === 0 && slot.alarm === null && slot.pendingSince === NO_TIME) break;
        const level =
          cond === 1 ? rule.lvHH : cond === 2 ? rule.lvH : cond === 3 ? rule.lvL : cond === 4 ? rule.lvLL : 0;
        const limit =
          cond === 1
            ? rule.hh
            : cond === 2
              ? rule.h
              : cond === 3
                ? rule.l
                : cond === 4
                  ? rule.ll
                  : Number.NaN;
        advanceSlot(slot, cond, level, ts, v, limit, cp.code, rule, em);
        break;
      }
      case RULE.rate: {
        if (faulted) break;
        const rate = ratePerMin(slot, rule, ts, v);
        const cond = rateCondition(rule, rate);
        if (cond === 0 && slot.alarm === null) break;
        advanceSlot(
          slot,
          cond,
          rule.level,
          ts,
          rate,
          cond === 0 ? Number.NaN : rate >= 0 ? rule.rise : -rule.drop,
          cp.code,
          rule,
          em,
        );
        break;
      }
      case RULE.trend: {
        if (faulted) break;
        const cond = trendCondition(slot, rule, ts, v);
        if (cond === 0 && slot.alarm === null) break;
        advanceSlot(slot, cond, rule.level, ts, trendFigure.value, trendFigure.limit, cp.code, rule, em);
        break;
      }
      case RULE.noData:
        if (slot.alarm !== null || slot.pendingSince !== NO_TIME) {
          advanceSlot(slot, 0, rule.level, ts, v, Number.NaN, cp.code, rule, em);
        }
        break;
      default:
        break;
    }
  }
  const vote = cp.vote;
  if (vote !== null) {
    const over = vote.voteHigh ? v >= vote.voteLimit : v <= vote.voteLimit;
    const bits = (over && !faulted ? 1 : 0) | (faulted ? 2 : 0);
    if ((bits !== 0) !== (ps.voteBits !== 0)) updateVote(state, cp, ps, bits, ts, em);
    else ps.voteBits = bits;
  }
  const deps = cp.dependents;
  for (let i = 0; i < deps.length; i++) evaluateCombination(state, deps[i]!.owner, deps[i]!.index, ts, em);
}

/** Combination: A and B both true on their latest readings, each no older than Δt at `ts`. */
function evaluateCombination(
  state: EnterpriseState,
  owner: CompiledPoint,
  index: number,
  ts: number,
  em: TransitionEmitter,
): void {
  const rule = owner.rules[index]!;
  const ops = bindPoint(state, owner);
  const slot = ops.slots[index]!;
  const a = state.points.get(rule.aPoint);
  const b = state.points.get(rule.bPoint);
  const aTrue =
    a !== undefined &&
    a.lastTs !== NO_TIME &&
    ts - a.lastTs <= rule.windowMs &&
    compare(rule.aOp, a.lastValue, rule.aValue);
  const bTrue =
    b !== undefined &&
    b.lastTs !== NO_TIME &&
    ts - b.lastTs <= rule.windowMs &&
    compare(rule.bOp, b.lastValue, rule.bValue);
  const cond = aTrue && bTrue ? 1 : 0;
  if (cond === 0 && slot.alarm === null && slot.pendingSince === NO_TIME) return;
  advanceSlot(slot, cond, rule.level, ts, a ? a.lastValue : Number.NaN, rule.aValue, owner.code, rule, em);
}
