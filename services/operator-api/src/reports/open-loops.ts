import type { AlarmTransitionEvent, EscalationPolicy, LoopStep } from '@yujing/schemas';

/** The steps of the closed loop in order, and the loop state each one waits in. */
const WAITING: Record<string, LoopStep> = {
  open: 'verify',
  verified: 'dispose',
  disposed: 'feedback',
  'fed-back': 'close',
};

export interface OpenLoop {
  alarm: AlarmTransitionEvent;
  /** The step the loop waits for. */
  step: LoopStep;
  /** Its deadline (epoch ms, from the raise, per the policy of class × level); null without a policy. */
  dueAt: number | null;
  overdue: boolean;
  /** How long past the deadline (ms), 0 when not overdue. */
  overdueByMs: number;
}

type LoopDeadlines = NonNullable<EscalationPolicy['closedLoop']>;

/** The step's deadline in ms after the raise (a policy without 反馈 gives it the 销号 deadline). */
function withinMs(loop: LoopDeadlines, step: LoopStep): number {
  switch (step) {
    case 'verify':
      return loop.verifyWithinMs;
    case 'dispose':
      return loop.disposeWithinMs;
    case 'feedback':
      return loop.feedbackWithinMs ?? loop.closeWithinMs;
    case 'close':
      return loop.closeWithinMs;
  }
}

/**
 * An alarm's open loop as of `now`, or undefined once closed (销号). Pure: the caller supplies the
 * alarm's latest transition, the deadlines of its enterprise's policy and the clock.
 */
export function openLoopOf(
  alarm: AlarmTransitionEvent,
  deadlines: LoopDeadlines | undefined,
  now: number,
): OpenLoop | undefined {
  const step = WAITING[alarm.loop];
  if (step === undefined) return undefined;
  const dueAt = deadlines ? alarm.episodeStart + withinMs(deadlines, step) : null;
  const overdueByMs = dueAt !== null && now > dueAt ? now - dueAt : 0;
  return { alarm, step, dueAt, overdue: overdueByMs > 0, overdueByMs };
}
