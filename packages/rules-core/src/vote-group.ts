import { advanceSlot } from './alarm-slot';
import type { CompiledPoint } from './compiled-enterprise';
import { type EnterpriseState, type GroupState, type PointState, SlotState } from './engine-state';
import type { TransitionEmitter } from './transition-emitter';

/**
 * Sets a member's vote bits (1 over the limit, 2 faulted, 4 offline: any bit votes, fail-safe)
 * and re-evaluates its group's M-out-of-N condition at `ts`. Votes are recounted from the
 * members, so a registry change cannot leave a stale count.
 */
export function updateVote(
  state: EnterpriseState,
  cp: CompiledPoint,
  ps: PointState,
  bits: number,
  ts: number,
  em: TransitionEmitter,
): void {
  ps.voteBits = bits;
  const groupId = cp.votingGroup;
  if (groupId === null) return;
  const group = em.ctx.groups.get(groupId);
  if (group === undefined) return;
  let gs: GroupState | undefined = state.groups.get(groupId);
  if (gs === undefined) {
    gs = { votes: 0, slot: new SlotState(state.numbers) };
    state.groups.set(groupId, gs);
  }
  let votes = 0;
  for (const code of group.members) if ((state.points.get(code)?.voteBits ?? 0) !== 0) votes++;
  gs.votes = votes;
  const cond = votes >= group.m ? 1 : 0;
  if (cond === 0 && gs.slot.alarm === null && gs.slot.pendingSince === -1) return;
  advanceSlot(gs.slot, cond, group.level, ts, votes, group.m, group.label, group.rule, em);
}
