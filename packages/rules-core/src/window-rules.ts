import type { CompiledRule } from './compiled-rule';
import type { SlotState } from './engine-state';

/**
 * Window memory of one slot: a plain double array (smaller than a typed array for windows this
 * short: no ArrayBuffer/backing-store objects) holding a small header and a ring of pairs:
 * rate windows (ts, value), trend windows (bucket mean time, bucket mean value).
 */
const HEAD = 0;
const LEN = 1;
/** Rate windows: header is HEAD, LEN. */
const RATE_DATA = 2;
/** Trend windows also keep the bucket being filled and running least-squares sums. */
const CUR_START = 2;
const CUR_SUM = 3;
const CUR_COUNT = 4;
const S_N = 5;
const S_X = 6;
const S_Y = 7;
const S_XY = 8;
const S_XX = 9;
/** x of the sums is (bucket start − BASE) in minutes; re-based (sums recomputed) now and then. */
const BASE = 10;
/** Sum of the timestamps in the bucket being filled: buckets sit at their mean time, not their start. */
const CUR_TSUM = 11;
const TREND_DATA = 12;

function windowOf(slot: SlotState, cap: number, data: number): number[] {
  let w = slot.win;
  if (w === null || w.length !== data + cap * 2) {
    w = new Array<number>(data + cap * 2).fill(0.5); // doubles from the start: PACKED_DOUBLE_ELEMENTS
    for (let i = 0; i < data; i++) w[i] = 0;
    if (data === TREND_DATA) w[CUR_START] = -1;
    slot.win = w;
  }
  return w;
}

/** Ring index without `%` on doubles (Float64Mod is a slow call): header values are small ints. */
function ring(head: number, i: number, cap: number, data: number): number {
  const k = head + i;
  return data + (k >= cap ? k - cap : k) * 2;
}

/**
 * Rate of change: samples decimated to one per `stepMs`, so memory is bounded (RATE_CAPACITY
 * pairs) whatever the sampling rate. Returns units per minute between the oldest sample still
 * inside the window and this reading, NaN without a reference. The reference must be at least one
 * step (windowMs / (RATE_CAPACITY − 1)) old: over milliseconds, sensor jitter would read as a
 * steep rise (0.5 ppm in 10 ms is 3,000 ppm/min).
 */
export function ratePerMin(slot: SlotState, rule: CompiledRule, ts: number, v: number): number {
  const cap = rule.capacity;
  const w = windowOf(slot, cap, RATE_DATA);
  const head = w[HEAD]! | 0;
  const len = w[LEN]! | 0;
  let rate = Number.NaN;
  const from = ts - rule.windowMs;
  for (let i = 0; i < len; i++) {
    const at = ring(head, i, cap, RATE_DATA);
    const t0 = w[at]!;
    if (t0 >= from && ts - t0 >= rule.stepMs) {
      rate = ((v - w[at + 1]!) * 60_000) / (ts - t0);
      break;
    }
  }
  if (len === 0 || ts - w[ring(head, len - 1, cap, RATE_DATA)]! >= rule.stepMs) {
    const at = ring(head, len, cap, RATE_DATA);
    w[at] = ts;
    w[at + 1] = v;
    if (len < cap) w[LEN] = len + 1;
    else w[HEAD] = head + 1 === cap ? 0 : head + 1;
  }
  return rate;
}

/** Rate condition: 1 when rising or dropping faster than the rule allows. */
export function rateCondition(rule: CompiledRule, rate: number): number {
  return rate >= rule.rise || -rate >= rule.drop ? 1 : 0;
}

function addToSums(w: number[], t0: number, y: number, sign: number): void {
  const x = (t0 - w[BASE]!) / 60_000;
  w[S_N] = w[S_N]! + sign;
  w[S_X] = w[S_X]! + sign * x;
  w[S_Y] = w[S_Y]! + sign * y;
  w[S_XY] = w[S_XY]! + sign * x * y;
  w[S_XX] = w[S_XX]! + sign * x * x;
}

/** Drops the oldest bucket from the ring and the sums. */
function dropOldest(w: number[], cap: number): void {
  const head = w[HEAD]! | 0;
  const at = TREND_DATA + head * 2;
  addToSums(w, w[at]!, w[at + 1]!, -1);
  w[HEAD] = head + 1 === cap ? 0 : head + 1;
  w[LEN] = (w[LEN]! | 0) - 1;
}

/** Recomputes the sums relative to a new base (bounds drift and keeps x small). */
function rebase(w: number[], cap: number, base: number): void {
  w[BASE] = base;
  w[S_N] = 0;
  w[S_X] = 0;
  w[S_Y] = 0;
  w[S_XY] = 0;
  w[S_XX] = 0;
  const head = w[HEAD]! | 0;
  const len = w[LEN]! | 0;
  for (let i = 0; i < len; i++) {
    const at = ring(head, i, cap, TREND_DATA);
    addToSums(w, w[at]!, w[at + 1]!, 1);
  }
}

/**
 * Trend: readings are averaged into `maxSamples` buckets of windowMs / maxSamples (value and
 * time, so a bucket sits at its mean time); completed buckets inside the window live in the ring with running least-squares sums (O(1) per reading,
 * re-based every few windows). Mean and slope (per minute) cover those buckets plus the bucket
 * being filled. Returns 0/1; the figure that crossed (mean or slope) and its bound are left in
 * `trendFigure` (reused, no allocation).
 */
export function trendCondition(slot: SlotState, rule: CompiledRule, ts: number, v: number): number {
  const cap = rule.capacity;
  const w = windowOf(slot, cap, TREND_DATA);
  if (w[CUR_START] === -1 || ts >= w[CUR_START]! + rule.stepMs) {
    if (w[CUR_COUNT]! > 0) {
      if ((w[LEN]! | 0) === cap) dropOldest(w, cap);
      const start = w[CUR_TSUM]! / w[CUR_COUNT]!;
      const mean = w[CUR_SUM]! / w[CUR_COUNT]!;
      const at = ring(w[HEAD]! | 0, w[LEN]! | 0, cap, TREND_DATA);
      w[at] = start;
      w[at + 1] = mean;
      w[LEN] = (w[LEN]! | 0) + 1;
      if (start - w[BASE]! > 8 * rule.windowMs || w[BASE] === 0) rebase(w, cap, start);
      else addToSums(w, start, mean, 1);
    }
    w[CUR_START] = ts;
    w[CUR_SUM] = 0;
    w[CUR_TSUM] = 0;
    w[CUR_COUNT] = 0;
  }
  w[CUR_SUM] = w[CUR_SUM]! + v;
  w[CUR_TSUM] = w[CUR_TSUM]! + ts;
  w[CUR_COUNT] = w[CUR_COUNT]! + 1;
  const from = ts - rule.windowMs;
  while ((w[LEN]! | 0) > 0 && w[TREND_DATA + (w[HEAD]! | 0) * 2]! < from) dropOldest(w, cap);
  const xc = (w[CUR_TSUM]! / w[CUR_COUNT]! - w[BASE]!) / 60_000;
  const yc = w[CUR_SUM]! / w[CUR_COUNT]!;
  const n = w[S_N]! + 1;
  const sx = w[S_X]! + xc;
  const sy = w[S_Y]! + yc;
  const sxy = w[S_XY]! + xc * yc;
  const sxx = w[S_XX]! + xc * xc;
  if (n < 2) return 0;
  const mean = sy / n;
  const den = n * sxx - sx * sx;
  const slope = den > 1e-12 ? (n * sxy - sx * sy) / den : 0;
  if (mean > rule.meanAbove) return trendHit(mean, rule.meanAbove);
  if (mean < rule.meanBelow) return trendHit(mean, rule.meanBelow);
  if (slope > rule.slopeAbove) return trendHit(slope, rule.slopeAbove);
  if (slope < rule.slopeBelow) return trendHit(slope, rule.slopeBelow);
  trendFigure.value = mean;
  trendFigure.limit = Number.NaN;
  return 0;
}

/** Scratch output of the last `trendCondition` call: the crossing figure and its bound. */
export const trendFigure = { value: 0, limit: Number.NaN };

function trendHit(value: number, limit: number): number {
  trendFigure.value = value;
  trendFigure.limit = limit;
  return 1;
}
