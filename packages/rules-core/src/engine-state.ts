import type { AlarmKind, AlarmState, LoopState } from '@yujing/schemas';

/** Sentinel for "no time": every timestamp field uses -1 when unset (numbers keep shapes stable). */
export const NO_TIME = -1;

/** What the alarm slot needs to know of the rule driving it. */
export interface SlotRule {
  id: string;
  kind: AlarmKind;
  onDelayMs: number;
  offDelayMs: number;
}

/** One alarm episode of one point/rule (or vote group, or gateway). */
export interface AlarmRecord {
  id: string;
  point: string;
  rule: string;
  kind: AlarmKind;
  level: number;
  episodeStart: number;
  /** Next transition sequence number of this alarm. */
  seq: number;
  /** The process condition is active. */
  active: boolean;
  acked: boolean;
  /** Epoch ms the shelve ends, 0 when not shelved. */
  shelvedUntil: number;
  suppressed: boolean;
  outOfService: boolean;
  loop: LoopState;
  /** Index (in LOOP_STEPS) of the last closed-loop step announced overdue, -1 none. */
  overdueIndex: number;
  /** The maintenance window that suppressed it or took it out of service, null when none did. */
  heldBy: { id: string; mode: 'suppress' | 'out-of-service' } | null;
  value: number | null;
  limit: number | null;
  /**
   * The record no longer belongs to a slot (it reached normal); kept for the closed loop. Settled
   * records are evicted only once their loop is closed (`pruneSettled`), never while it is open.
   */
  settled: boolean;
}

/** ISA-18.2 state derived from the flags, so the flags are the only truth. */
export function alarmState(rec: AlarmRecord): AlarmState {
  if (rec.outOfService) return 'out-of-service';
  if (rec.suppressed) return 'suppressed';
  if (rec.shelvedUntil > 0) return 'shelved';
  if (rec.active) return rec.acked ? 'active-ack' : 'active-unack';
  return rec.acked ? 'normal' : 'rtn-unack';
}

/** Annunciation is held back while shelved, suppressed or out of service. */
export function isSilenced(rec: AlarmRecord): boolean {
  return rec.shelvedUntil > 0 || rec.suppressed || rec.outOfService;
}

/**
 * Condition and delay state of one rule of one point (or of a vote group or a gateway). A class
 * so every slot has the same hidden shape; all fields are numbers or a reference.
 */
export class SlotState {
  /** Current condition: 0 = none; threshold: limit index 1 hh, 2 h, 3 l, 4 ll; others 1. */
  cond = 0;
  /** Level the current condition maps to (0 when none). */
  level = 0;
  pendingSince = NO_TIME;
  offSince = NO_TIME;
  deSince = NO_TIME;
  value = 0;
  limit = Number.NaN;
  alarm: AlarmRecord | null = null;
  /** Last activation times (event time), newest in act0, for chatter detection. */
  act0 = NO_TIME;
  act1 = NO_TIME;
  act2 = NO_TIME;
  chattering = false;
  /** Rate/trend window memory (header + ring, see window-rules.ts), only for rules with a window. */
  win: number[] | null = null;
}

/** Per-point state: last reading, frozen-value tracking, vote bits and one slot per rule. */
export class PointState {
  lastTs = NO_TIME;
  lastValue = Number.NaN;
  /** 0 good, 1 uncertain, 2 bad. */
  lastQuality = 0;
  lastReceivedAt = NO_TIME;
  sameCount = 0;
  sameSince = NO_TIME;
  /** Why the point votes in its group: 1 over the limit, 2 faulted, 4 offline. */
  voteBits = 0;
  /** Ids of `slots`, aligned with the compiled rules this state was bound to. */
  ruleIds: string[];
  slots: SlotState[];
  /** The compiled point the slots are aligned with (not serialised). */
  boundTo: unknown = null;
  constructor(
    readonly code: string,
    ruleIds: string[] = [],
  ) {
    this.ruleIds = ruleIds;
    this.slots = ruleIds.map(() => new SlotState());
  }
}

export interface GatewayState {
  lastReceivedAt: number;
  /**
   * Receipt time of the first batch after a silence longer than the shortest no-data delay of the
   * gateway's points (NO_TIME when none yet): a point's own silence is counted from here, so a
   * gateway coming back does not make every point that has not reported yet look silent.
   */
  resumedAt: number;
  slot: SlotState;
}

export interface GroupState {
  votes: number;
  slot: SlotState;
}

export interface RecentCommand {
  ok: boolean;
  code?: string;
  message?: string;
}

/** Everything the engine remembers about one enterprise. Owned by the caller, updated in place. */
export interface EnterpriseState {
  enterpriseId: string;
  points: Map<string, PointState>;
  groups: Map<string, GroupState>;
  gateways: Map<string, GatewayState>;
  /** Alarm records by id: the slots' current alarms and settled ones awaiting closure. */
  alarms: Map<string, AlarmRecord>;
  recentCommands: Map<string, RecentCommand>;
  /** Readings skipped because they were not newer than the point's last evaluated time. */
  outOfOrder: number;
  /** Readings for points this enterprise does not have. */
  unknownPoints: number;
  /** Readings with a non-finite value or timestamp. */
  invalid: number;
}

export function createEnterpriseState(enterpriseId: string): EnterpriseState {
  return {
    enterpriseId,
    points: new Map(),
    groups: new Map(),
    gateways: new Map(),
    alarms: new Map(),
    recentCommands: new Map(),
    outOfOrder: 0,
    unknownPoints: 0,
    invalid: 0,
  };
}
