import type { Actor, AlarmTransition, Attachment, LoopStep } from '@yujing/schemas';
import type { AlarmRecord } from './engine-state';

/** Extra fields some transitions carry. */
export interface TransitionExtras {
  actor?: Actor;
  comment?: string;
  attachments?: Attachment[];
  loopDue?: { step: LoopStep; dueAt: number };
}

/**
 * Where the rules emit a transition (TransitionEmitter implements it). Modules that
 * compiled-enterprise imports (closed-loop, point-holds) take this interface rather than the
 * emitter class, whose module imports compiled-enterprise: imports stay acyclic
 * (test/unit/import-rules.test.ts).
 */
export interface AlarmEmitter {
  /** The time of the call that emits (ms). */
  readonly now: number;
  emit(rec: AlarmRecord, transition: AlarmTransition, eventTime: number, extras?: TransitionExtras): void;
}
