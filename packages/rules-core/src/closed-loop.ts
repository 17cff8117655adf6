import type { ClassCode, EscalationPolicy, LoopState, LoopStep } from '@yujing/schemas';
import type { AlarmEmitter } from './alarm-emitter';
import type { AlarmRecord } from './engine-state';

/**
 * The regulatory closed loop 推送 → 核实 → 处置 → 反馈 → 销号 (docs/closed-loop.md): step order,
 * deadlines per classification × level (from the escalation policies' `closedLoop`, counted from
 * the raise), and the overdue check the wall-clock pass runs. Pure: the caller supplies `now`.
 */

/** Loop states in order; the step that leaves state i is LOOP_STEPS[i]. */
export const LOOP_ORDER: readonly LoopState[] = ['open', 'verified', 'disposed', 'fed-back', 'closed'];
export const LOOP_STEPS: readonly LoopStep[] = ['verify', 'dispose', 'feedback', 'close'];

/** Deadlines of the four steps, ms after the raise, aligned with LOOP_STEPS. */
export type LoopDeadlines = readonly [number, number, number, number];

/** Index in LOOP_STEPS of the step a loop in `loop` waits for; 4 once closed. */
export function nextStepIndex(loop: LoopState): number {
  return LOOP_ORDER.indexOf(loop);
}

/**
 * Deadlines per alarm level for one classification, from the policies that define `closedLoop`
 * (the first policy matching class and level wins, as in the dispatcher's `policyFor`). A policy
 * without `feedbackWithinMs` gives 反馈 the 销号 deadline.
 */
export function compileLoopDeadlines(
  policies: readonly Pick<EscalationPolicy, 'classification' | 'levels' | 'closedLoop'>[],
  classCode: ClassCode | undefined,
): Map<number, LoopDeadlines> {
  const out = new Map<number, LoopDeadlines>();
  if (classCode === undefined) return out;
  for (const p of policies) {
    if (!p.closedLoop || !p.classification.includes(classCode)) continue;
    const l = p.closedLoop;
    for (const level of p.levels) {
      if (!out.has(level))
        out.set(level, [
          l.verifyWithinMs,
          l.disposeWithinMs,
          l.feedbackWithinMs ?? l.closeWithinMs,
          l.closeWithinMs,
        ]);
    }
  }
  return out;
}

/** The next step of a record and its deadline (epoch ms), undefined when closed or no deadlines apply. */
export function loopDue(
  rec: AlarmRecord,
  deadlines: ReadonlyMap<number, LoopDeadlines>,
): { step: LoopStep; dueAt: number; index: number } | undefined {
  const index = nextStepIndex(rec.loop);
  const d = deadlines.get(rec.level);
  if (index >= LOOP_STEPS.length || d === undefined) return undefined;
  return { step: LOOP_STEPS[index]!, dueAt: rec.episodeStart + d[index]!, index };
}

/**
 * Emits one `loop-overdue` per missed step (event time = the deadline, so a replay gives the same
 * event): a step whose deadline passed while the loop still waits for it. `overdueIndex` remembers
 * the last step announced, so each step is announced once; a later missed step is announced too.
 */
export function checkOverdue(
  rec: AlarmRecord,
  deadlines: ReadonlyMap<number, LoopDeadlines>,
  em: AlarmEmitter,
): void {
  const due = loopDue(rec, deadlines);
  if (due === undefined || em.now <= due.dueAt) return;
  if ((rec.overdueIndex ?? -1) >= due.index) return;
  rec.overdueIndex = due.index;
  em.emit(rec, 'loop-overdue', due.dueAt, { loopDue: { step: due.step, dueAt: due.dueAt } });
}
