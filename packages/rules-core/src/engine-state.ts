import type { AlarmKind, AlarmState, LoopState } from '@yujing/schemas';
import { NumberPool } from './number-pool';

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

/** Offsets of a slot's numbers in its pool chunk. */
const PENDING = 0;
const OFF = 1;
const DE = 2;
const VALUE = 3;
const LIMIT = 4;
const ACT0 = 5;
const ACT1 = 6;
const ACT2 = 7;
const SLOT_NUMBERS = 8;

/**
 * Condition and delay state of one rule of one point (or of a vote group or a gateway). A class
 * so every slot has the same hidden shape. Integers, flags and references are fields; the eight
 * times and values live in the enterprise's `NumberPool` (number-pool.ts) behind accessors, which
 * halves a slot's memory.
 */
export class SlotState {
  /** Current condition: 0 = none; threshold: limit index 1 hh, 2 h, 3 l, 4 ll; others 1. */
  cond = 0;
  /** Level the current condition maps to (0 when none). */
  level = 0;
  alarm: AlarmRecord | null = null;
  chattering = false;
  /** Rate/trend window memory (header + ring, see window-rules.ts), only for rules with a window. */
  win: number[] | null = null;
  private readonly n: Float64Array;
  private readonly o: number;
  /** Without a pool (a slot made outside an enterprise state) the slot gets a chunk of its own. */
  constructor(pool: NumberPool = new NumberPool(SLOT_NUMBERS, SLOT_NUMBERS)) {
    const o = pool.reserve(SLOT_NUMBERS);
    const n = pool.chunk;
    this.n = n;
    this.o = o;
    n[o + PENDING] = NO_TIME;
    n[o + OFF] = NO_TIME;
    n[o + DE] = NO_TIME;
    n[o + VALUE] = 0;
    n[o + LIMIT] = Number.NaN;
    n[o + ACT0] = NO_TIME;
    n[o + ACT1] = NO_TIME;
    n[o + ACT2] = NO_TIME;
  }
  get pendingSince(): number {
    return this.n[this.o + PENDING]!;
  }
  set pendingSince(x: number) {
    this.n[this.o + PENDING] = x;
  }
  get offSince(): number {
    return this.n[this.o + OFF]!;
  }
  set offSince(x: number) {
    this.n[this.o + OFF] = x;
  }
  get deSince(): number {
    return this.n[this.o + DE]!;
  }
  set deSince(x: number) {
    this.n[this.o + DE] = x;
  }
  get value(): number {
    return this.n[this.o + VALUE]!;
  }
  set value(x: number) {
    this.n[this.o + VALUE] = x;
  }
  get limit(): number {
    return this.n[this.o + LIMIT]!;
  }
  set limit(x: number) {
    this.n[this.o + LIMIT] = x;
  }
  /** Last activation times (event time), newest in act0, for chatter detection. */
  get act0(): number {
    return this.n[this.o + ACT0]!;
  }
  set act0(x: number) {
    this.n[this.o + ACT0] = x;
  }
  get act1(): number {
    return this.n[this.o + ACT1]!;
  }
  set act1(x: number) {
    this.n[this.o + ACT1] = x;
  }
  get act2(): number {
    return this.n[this.o + ACT2]!;
  }
  set act2(x: number) {
    this.n[this.o + ACT2] = x;
  }
}

/** Offsets of a point's numbers in its pool chunk. */
const LAST_TS = 0;
const LAST_VALUE = 1;
const LAST_RECEIVED = 2;
const SAME_SINCE = 3;
const POINT_NUMBERS = 4;

/**
 * Per-point state: last reading, frozen-value tracking, vote bits and one slot per rule. Its four
 * times and values live in the enterprise's `NumberPool`, like a slot's.
 */
export class PointState {
  /** 0 good, 1 uncertain, 2 bad. */
  lastQuality = 0;
  sameCount = 0;
  /** Why the point votes in its group: 1 over the limit, 2 faulted, 4 offline. */
  voteBits = 0;
  /** Ids of `slots`, aligned with the compiled rules this state was bound to. */
  ruleIds: string[];
  slots: SlotState[];
  /** The compiled point the slots are aligned with (not serialised). */
  boundTo: unknown = null;
  private readonly n: Float64Array;
  private readonly o: number;
  constructor(
    readonly code: string,
    pool: NumberPool,
    ruleIds: string[] = [],
  ) {
    const o = pool.reserve(POINT_NUMBERS);
    const n = pool.chunk;
    this.n = n;
    this.o = o;
    n[o + LAST_TS] = NO_TIME;
    n[o + LAST_VALUE] = Number.NaN;
    n[o + LAST_RECEIVED] = NO_TIME;
    n[o + SAME_SINCE] = NO_TIME;
    this.ruleIds = ruleIds;
    this.slots = ruleIds.map(() => new SlotState(pool));
  }
  get lastTs(): number {
    return this.n[this.o + LAST_TS]!;
  }
  set lastTs(x: number) {
    this.n[this.o + LAST_TS] = x;
  }
  get lastValue(): number {
    return this.n[this.o + LAST_VALUE]!;
  }
  set lastValue(x: number) {
    this.n[this.o + LAST_VALUE] = x;
  }
  get lastReceivedAt(): number {
    return this.n[this.o + LAST_RECEIVED]!;
  }
  set lastReceivedAt(x: number) {
    this.n[this.o + LAST_RECEIVED] = x;
  }
  get sameSince(): number {
    return this.n[this.o + SAME_SINCE]!;
  }
  set sameSince(x: number) {
    this.n[this.o + SAME_SINCE] = x;
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
  /**
   * Point states of the gateway's last batch by reading position (evaluate-batch.ts; not
   * serialised). A point's state object is never replaced within one enterprise state.
   */
  order?: PointState[];
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
  /** Where the numbers of this enterprise's slots and points live (number-pool.ts; not serialised). */
  numbers: NumberPool;
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
    numbers: new NumberPool(),
  };
}
