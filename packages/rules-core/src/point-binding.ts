import type { CompiledPoint } from './compiled-enterprise';
import { type EnterpriseState, PointState, SlotState } from './engine-state';

/**
 * Returns the point's state aligned with its compiled rules. After a registry change (or a
 * restore) slots are re-matched by rule id, so a rule that stays keeps its state and alarm.
 */
export function bindPoint(state: EnterpriseState, cp: CompiledPoint): PointState {
  let ps = state.points.get(cp.code);
  if (ps !== undefined && ps.boundTo === cp) return ps;
  if (ps === undefined) {
    ps = new PointState(cp.code, cp.ruleIds);
    state.points.set(cp.code, ps);
  } else if (!sameIds(ps.ruleIds, cp.ruleIds)) {
    const old = new Map(ps.ruleIds.map((id, i) => [id, ps!.slots[i]!]));
    ps.slots = cp.ruleIds.map((id) => old.get(id) ?? new SlotState());
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
