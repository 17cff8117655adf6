import type {
  AlarmAction,
  AlarmCommand,
  AlarmCommandResult,
  AlarmTransitionEvent,
  LoopState,
  Role,
} from '@yujing/schemas';
import { ALARM_COMMAND_ERRORS, type AlarmCommandErrorCode } from './alarm-command-errors';
import { pruneSettled, settleIfNormal } from './alarm-slot';
import { loopDue } from './closed-loop';
import type { RulesContext } from './compiled-enterprise';
import { type AlarmRecord, type EnterpriseState, isSilenced, type SlotState } from './engine-state';
import { TransitionEmitter } from './transition-emitter';

export interface CommandOutcome {
  state: EnterpriseState;
  transitions: AlarmTransitionEvent[];
  result: AlarmCommandResult;
}

const ISA_ROLES: ReadonlySet<Role> = new Set(['operator', 'regulator', 'admin', 'enterprise']);
const LOOP_ROLES: ReadonlySet<Role> = new Set(['operator', 'regulator', 'admin']);
const LOOP_STEP: Partial<Record<AlarmAction, { from: LoopState; to: LoopState }>> = {
  verify: { from: 'open', to: 'verified' },
  dispose: { from: 'verified', to: 'disposed' },
  feedback: { from: 'disposed', to: 'fed-back' },
  close: { from: 'fed-back', to: 'closed' },
};

/** Roles allowed to perform an action: the closed loop (核实 → 处置 → 反馈 → 销号) is for operator/regulator/admin. */
export function rolesFor(action: AlarmAction): ReadonlySet<Role> {
  return LOOP_STEP[action] ? LOOP_ROLES : ISA_ROLES;
}

/**
 * Executes an operator command on the alarm it names. Idempotent by `commandId`: a re-delivered
 * command returns its first result and no transitions. Refusals carry a YJ_ERR_ALARM_* code.
 */
export function applyCommand(
  state: EnterpriseState,
  cmd: AlarmCommand,
  ctx: RulesContext,
  now: number,
): CommandOutcome {
  const em = new TransitionEmitter(ctx, state, now);
  const seen = state.recentCommands.get(cmd.commandId);
  if (seen)
    return {
      state,
      transitions: [],
      result: result(cmd, now, seen.ok, seen.code as AlarmCommandErrorCode | undefined),
    };
  const code = execute(state, cmd, em);
  state.recentCommands.set(cmd.commandId, code ? { ok: false, code } : { ok: true });
  if (state.recentCommands.size > ctx.options.maxRecentCommands) {
    const oldest = state.recentCommands.keys().next().value;
    if (oldest !== undefined) state.recentCommands.delete(oldest);
  }
  return { state, transitions: em.out, result: result(cmd, now, code === undefined, code) };
}

function result(
  cmd: AlarmCommand,
  now: number,
  ok: boolean,
  code?: AlarmCommandErrorCode,
): AlarmCommandResult {
  const out: AlarmCommandResult = {
    commandId: cmd.commandId,
    alarmId: cmd.alarmId,
    enterpriseId: cmd.enterpriseId,
    ok,
    at: now,
  };
  if (code) {
    out.code = code;
    out.message = ALARM_COMMAND_ERRORS[code].message;
  }
  return out;
}

function execute(
  state: EnterpriseState,
  cmd: AlarmCommand,
  em: TransitionEmitter,
): AlarmCommandErrorCode | undefined {
  const rec = cmd.enterpriseId === state.enterpriseId ? state.alarms.get(cmd.alarmId) : undefined;
  if (!rec) return 'YJ_ERR_ALARM_NOT_FOUND';
  if (!rolesFor(cmd.action).has(cmd.actor.role)) return 'YJ_ERR_ALARM_FORBIDDEN';
  const extras = {
    actor: cmd.actor,
    ...(cmd.comment ? { comment: cmd.comment } : {}),
    ...(cmd.attachments?.length ? { attachments: cmd.attachments } : {}),
  };
  const now = em.now;
  const maxSettled = em.ctx.options.maxSettledAlarms;
  const step = LOOP_STEP[cmd.action];
  if (step) {
    if (rec.loop !== step.from) return 'YJ_ERR_ALARM_LOOP_ORDER';
    rec.loop = step.to;
    const next = loopDue(rec, em.ctx.loopDeadlines);
    em.emit(rec, cmd.action as 'verify' | 'dispose' | 'feedback' | 'close', now, {
      ...extras,
      ...(next ? { loopDue: { step: next.step, dueAt: next.dueAt } } : {}),
    });
    // A closed loop of a settled alarm may now make room (it is the only kind ever evicted).
    if (rec.loop === 'closed' && rec.settled) pruneSettled(state, maxSettled);
    return undefined;
  }
  if (cmd.action === 'comment') {
    em.emit(rec, 'comment', now, extras);
    return undefined;
  }
  // ISA actions apply to alarms that are not yet settled (normal).
  if (rec.settled) return 'YJ_ERR_ALARM_STATE_CONFLICT';
  switch (cmd.action) {
    case 'ack':
      if (rec.acked) return 'YJ_ERR_ALARM_STATE_CONFLICT';
      rec.acked = true;
      em.emit(rec, 'ack', now, extras);
      settle(state, rec, maxSettled);
      return undefined;
    case 'shelve': {
      const duration = cmd.durationMs ?? 0;
      if (duration > em.ctx.options.maxShelveMs) return 'YJ_ERR_ALARM_SHELVE_TOO_LONG';
      if (rec.shelvedUntil > 0 || rec.suppressed || rec.outOfService) return 'YJ_ERR_ALARM_STATE_CONFLICT';
      rec.shelvedUntil = now + duration;
      rec.acked = true;
      em.emit(rec, 'shelve', now, extras);
      return undefined;
    }
    case 'unshelve':
      if (rec.shelvedUntil === 0) return 'YJ_ERR_ALARM_STATE_CONFLICT';
      rec.shelvedUntil = 0;
      reannounce(state, rec, maxSettled);
      em.emit(rec, 'unshelve', now, extras);
      return undefined;
    case 'suppress':
    case 'out-of-service': {
      const field = cmd.action === 'suppress' ? 'suppressed' : 'outOfService';
      if (rec[field]) return 'YJ_ERR_ALARM_STATE_CONFLICT';
      rec[field] = true;
      rec.acked = true;
      em.emit(rec, cmd.action, now, extras);
      return undefined;
    }
    case 'unsuppress':
    case 'in-service': {
      const field = cmd.action === 'unsuppress' ? 'suppressed' : 'outOfService';
      if (!rec[field]) return 'YJ_ERR_ALARM_STATE_CONFLICT';
      rec[field] = false;
      reannounce(state, rec, maxSettled);
      em.emit(rec, cmd.action, now, extras);
      return undefined;
    }
    default:
      return 'YJ_ERR_ALARM_STATE_CONFLICT';
  }
}

/**
 * When an alarm leaves shelving, suppression or out-of-service: still active → presented again
 * as unacknowledged; returned meanwhile → normal (and the episode settles).
 */
export function reannounce(state: EnterpriseState, rec: AlarmRecord, maxSettled: number): void {
  if (isSilenced(rec)) return;
  rec.acked = !rec.active;
  settle(state, rec, maxSettled);
}

function settle(state: EnterpriseState, rec: AlarmRecord, maxSettled: number): void {
  const slot = slotOf(state, rec);
  if (slot && slot.alarm === rec) settleIfNormal(slot, state, maxSettled);
  else if (!rec.active && rec.acked && !isSilenced(rec) && !rec.settled) {
    rec.settled = true;
    pruneSettled(state, maxSettled);
  }
}

/** The slot currently owning an alarm record: point rule, vote group or gateway. */
export function slotOf(state: EnterpriseState, rec: AlarmRecord): SlotState | undefined {
  if (rec.kind === 'vote') return state.groups.get(rec.point.slice('vote:'.length))?.slot;
  if (rec.kind === 'gateway-offline') return state.gateways.get(rec.point.slice('gateway:'.length))?.slot;
  const ps = state.points.get(rec.point);
  if (!ps) return undefined;
  const i = ps.ruleIds.indexOf(rec.rule);
  return i < 0 ? undefined : ps.slots[i];
}
