import {
  type AlarmRecord,
  createEnterpriseState,
  type EnterpriseState,
  type GatewayState,
  type GroupState,
  PointState,
  SlotState,
} from './engine-state';
import type { NumberPool } from './number-pool';

/**
 * A JSON-safe copy of an enterprise's state, for the worker's changelog. Slots are positional
 * arrays (compact); alarm records are referenced by id. NaN and infinities become null.
 */
export interface StateSnapshot {
  v: 1;
  enterpriseId: string;
  points: SnapshotPoint[];
  groups: Array<[string, number, SnapshotSlot]>;
  /** [id, lastReceivedAt, slot, resumedAt?] (resumedAt came with issue 15; absent = none). */
  gateways: Array<[string, number, SnapshotSlot] | [string, number, SnapshotSlot, number]>;
  alarms: AlarmRecord[];
  commands: Array<[string, boolean, string | null]>;
  counters: [number, number, number];
}

type Num = number | null;
/** [code, lastTs, lastValue, lastQuality, lastReceivedAt, sameCount, sameSince, voteBits, ruleIds, slots] */
export type SnapshotPoint = [string, Num, Num, number, Num, number, Num, number, string[], SnapshotSlot[]];
/** [cond, level, pendingSince, offSince, deSince, value, limit, alarmId, act0, act1, act2, chattering, window] */
export type SnapshotSlot = [
  number,
  number,
  Num,
  Num,
  Num,
  Num,
  Num,
  string | null,
  Num,
  Num,
  Num,
  boolean,
  Num[] | null,
];

const num = (x: number): Num => (Number.isFinite(x) ? x : null);
const back = (x: Num, fallback = Number.NaN): number => (x === null ? fallback : x);

function slotOut(s: SlotState): SnapshotSlot {
  return [
    s.cond,
    s.level,
    num(s.pendingSince),
    num(s.offSince),
    num(s.deSince),
    num(s.value),
    num(s.limit),
    s.alarm ? s.alarm.id : null,
    num(s.act0),
    num(s.act1),
    num(s.act2),
    s.chattering,
    s.win ? s.win.map(num) : null,
  ];
}

function slotIn(a: SnapshotSlot, alarms: Map<string, AlarmRecord>, pool: NumberPool): SlotState {
  const s = new SlotState(pool);
  s.cond = a[0];
  s.level = a[1];
  s.pendingSince = back(a[2], -1);
  s.offSince = back(a[3], -1);
  s.deSince = back(a[4], -1);
  s.value = back(a[5]);
  s.limit = back(a[6]);
  s.alarm = a[7] === null ? null : (alarms.get(a[7]) ?? null);
  s.act0 = back(a[8], -1);
  s.act1 = back(a[9], -1);
  s.act2 = back(a[10], -1);
  s.chattering = a[11];
  s.win = a[12] === null ? null : a[12].map((x) => back(x));
  return s;
}

export function snapshotState(state: EnterpriseState): StateSnapshot {
  const points: SnapshotPoint[] = [];
  for (const p of state.points.values()) {
    points.push([
      p.code,
      num(p.lastTs),
      num(p.lastValue),
      p.lastQuality,
      num(p.lastReceivedAt),
      p.sameCount,
      num(p.sameSince),
      p.voteBits,
      [...p.ruleIds],
      p.slots.map(slotOut),
    ]);
  }
  const alarms = [...state.alarms.values()].map((r) => ({
    ...r,
    value: r.value !== null && Number.isFinite(r.value) ? r.value : null,
    limit: r.limit !== null && Number.isFinite(r.limit) ? r.limit : null,
  }));
  return {
    v: 1,
    enterpriseId: state.enterpriseId,
    points,
    groups: [...state.groups].map(([id, g]) => [id, g.votes, slotOut(g.slot)]),
    gateways: [...state.gateways].map(([id, g]) => [id, g.lastReceivedAt, slotOut(g.slot), g.resumedAt]),
    alarms,
    commands: [...state.recentCommands].map(([id, c]) => [id, c.ok, c.code ?? null]),
    counters: [state.outOfOrder, state.unknownPoints, state.invalid],
  };
}

/** Rebuilds a live state from a snapshot; slots re-align with compiled rules on first use. */
export function restoreState(snap: StateSnapshot): EnterpriseState {
  if (snap.v !== 1) throw new Error(`unsupported rules state snapshot version ${String(snap.v)}`);
  const state = createEnterpriseState(snap.enterpriseId);
  // overdueIndex and heldBy came with issue 15: snapshots written before have neither.
  for (const rec of snap.alarms)
    state.alarms.set(rec.id, { ...rec, overdueIndex: rec.overdueIndex ?? -1, heldBy: rec.heldBy ?? null });
  for (const a of snap.points) {
    const p = new PointState(a[0], state.numbers);
    p.lastTs = back(a[1], -1);
    p.lastValue = back(a[2]);
    p.lastQuality = a[3];
    p.lastReceivedAt = back(a[4], -1);
    p.sameCount = a[5];
    p.sameSince = back(a[6], -1);
    p.voteBits = a[7];
    p.ruleIds = a[8];
    p.slots = a[9].map((s) => slotIn(s, state.alarms, state.numbers));
    state.points.set(p.code, p);
  }
  for (const [id, votes, slot] of snap.groups)
    state.groups.set(id, { votes, slot: slotIn(slot, state.alarms, state.numbers) } satisfies GroupState);
  for (const [id, last, slot, resumedAt] of snap.gateways) {
    state.gateways.set(id, {
      lastReceivedAt: last,
      resumedAt: resumedAt ?? -1,
      slot: slotIn(slot, state.alarms, state.numbers),
    } satisfies GatewayState);
  }
  for (const [id, ok, code] of snap.commands)
    state.recentCommands.set(id, code === null ? { ok } : { ok, code });
  [state.outOfOrder, state.unknownPoints, state.invalid] = snap.counters;
  return state;
}
