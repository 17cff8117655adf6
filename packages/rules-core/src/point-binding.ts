import type { CompiledPoint } from './compiled-enterprise';
import { RULE } from './compiled-rule';
import { type EnterpriseState, PointState, SlotState } from './engine-state';
import { NumberPool } from './number-pool';

/**
 * Vote rules keep their state in the group, not in the member: members share one slot that is
 * never written (saves a slot per voting detector).
 */
export const INERT_SLOT: Readonly<SlotState> = Object.freeze(new SlotState(new NumberPool(8, 8)));

/**
 * Returns the point's state aligned with its compiled rules. After a registry change (or a
 * restore) slots are re-matched by rule id, so a rule that stays keeps its state and alarm.
 */
export function bindPoint(state: EnterpriseState, cp: CompiledPoint): PointState {
  let ps = state.points.get(cp.code);
  if (ps !== undefined && ps.boundTo === cp) return ps;
  if (ps === undefined) {
    ps = new PointState(cp.code, state.numbers);
    ps.ruleIds = cp.ruleIds;
    ps.slots = cp.rules.map((r) =>
      r.t === RULE.vote ? (INERT_SLOT as SlotState) : new SlotState(state.numbers),
    );
    state.points.set(cp.code, ps);
  } else if (
    !sameIds(ps.ruleIds, cp.ruleIds) ||
    cp.rules.some((r, i) => (r.t === RULE.vote) !== (ps!.slots[i] === INERT_SLOT))
  ) {
    const old = new Map(ps.ruleIds.map((id, i) => [id, ps!.slots[i]!]));
    ps.slots = cp.rules.map((r) =>
      r.t === RULE.vote
        ? (INERT_SLOT as SlotState)
        : ((old.get(r.id) !== INERT_SLOT ? old.get(r.id) : undefined) ?? new SlotState(state.numbers)),
    );
    ps.ruleIds = cp.ruleIds;
  }
  ps.boundTo = cp;
  return ps;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
