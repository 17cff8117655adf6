import type { Actor, MaintenanceWindow } from '@yujing/schemas';
import type { AlarmEmitter } from './alarm-emitter';
import type { AlarmRecord } from './engine-state';

/**
 * Maintenance windows (检修) of an enterprise, compiled: while one covers an alarm, the alarm is
 * suppressed or out of service (ISA-18.2), set and lifted by the window on the wall clock, each
 * with a transition naming who asked for it and why (the audit trail in alarm_events).
 */
export interface CompiledHold {
  id: string;
  mode: 'suppress' | 'out-of-service';
  /** Point codes covered; null = every alarm of the enterprise. */
  points: ReadonlySet<string> | null;
  from: number;
  to: number;
  reason: string;
  actor: Actor;
}

/** Who a scheduled window (no requester) acts as in the transitions it causes. */
const SCHEDULE_ACTOR: Actor = { id: 'maintenance-schedule', role: 'admin' };

export function compileHolds(windows: readonly MaintenanceWindow[] | undefined): CompiledHold[] {
  return (windows ?? []).map((w) => ({
    id: w.id,
    mode: w.mode,
    points: w.points.length > 0 ? new Set(w.points) : null,
    from: w.from,
    to: w.to,
    reason: w.reason,
    actor: w.requestedBy ?? SCHEDULE_ACTOR,
  }));
}

/** The window covering an alarm of `label` (point code, gateway:<id>, vote:<group>) at `now`. */
export function holdAt(holds: readonly CompiledHold[], label: string, now: number): CompiledHold | undefined {
  for (const h of holds)
    if (now >= h.from && now < h.to && (h.points === null || h.points.has(label))) return h;
  return undefined;
}

const FLAG = { suppress: 'suppressed', 'out-of-service': 'outOfService' } as const;

/**
 * Brings one alarm in line with the windows at `em.now`: a window starts covering it → flag set
 * (acknowledged, annunciation held back) and `suppress` / `out-of-service`; the window that set it
 * ends → flag lifted and `unsuppress` / `in-service`. A flag set by an operator command is left alone.
 * `reannounce` presents a released alarm again (still active → unacknowledged; the caller knows
 * the slot). Returns what happened.
 */
export function syncHold(
  rec: AlarmRecord,
  holds: readonly CompiledHold[],
  em: AlarmEmitter,
  reannounce: (rec: AlarmRecord) => void,
): 'held' | 'released' | undefined {
  const hold = holdAt(holds, rec.point, em.now);
  if (hold && rec.heldBy === null) {
    const field = FLAG[hold.mode];
    if (rec[field]) return undefined;
    rec[field] = true;
    rec.heldBy = { id: hold.id, mode: hold.mode };
    rec.acked = true;
    em.emit(rec, hold.mode, em.now, { actor: hold.actor, comment: `检修 ${hold.id}: ${hold.reason}` });
    return 'held';
  }
  if (rec.heldBy !== null && hold?.id !== rec.heldBy.id) {
    const { id, mode } = rec.heldBy;
    rec.heldBy = null;
    rec[FLAG[mode]] = false;
    reannounce(rec);
    em.emit(rec, mode === 'suppress' ? 'unsuppress' : 'in-service', em.now, { comment: `检修 ${id} 结束` });
    return 'released';
  }
  return undefined;
}
