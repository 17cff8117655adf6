import type { CompiledRule } from './compiled-rule';
import type { SlotState } from './engine-state';

/**
 * Window memory of one slot: a plain double array (smaller than a typed array for windows this
 * short: no ArrayBuffer/backing-store objects) holding a 5-number header and a ring of pairs:
 * rate windows (ts, value), trend windows (bucket start, bucket mean).
 */
const HEAD = 0;
const LEN = 1;
const CUR_START = 2;
const CUR_SUM = 3;
const CUR_COUNT = 4;
const DATA = 5;

function windowOf(slot: SlotState, cap: number): number[] {
  let w = slot.win;
  if (w === null || w.length !== DATA + cap * 2) {
    w = new Array<number>(DATA + cap * 2).fill(0.5); // doubles from the start: PACKED_DOUBLE_ELEMENTS
    w[HEAD] = 0;
    w[LEN] = 0;
    w[CUR_START] = -1;
    w[CUR_SUM] = 0;
    w[CUR_COUNT] = 0;
    slot.win = w;
  }
  return w;
}

/** Ring index without `%` on doubles (Float64Mod is a slow call): header values are small ints. */
function ring(head: number, i: number, cap: number): number {
  const k = head + i;
  return DATA + (k >= cap ? k - cap : k) * 2;
}

function push(w: number[], cap: number, a: number, b: number): void {
  const head = w[HEAD]! | 0;
  const len = w[LEN]! | 0;
  const at = ring(head, len, cap);
  w[at] = a;
  w[at + 1] = b;
  if (len < cap) w[LEN] = len + 1;
  else w[HEAD] = head + 1 === cap ? 0 : head + 1;
}

/**
 * Rate of change: samples decimated to one per `stepMs`, so memory is bounded (RATE_CAPACITY
 * pairs) whatever the sampling rate. Returns units per minute between the oldest sample still
 * inside the window and this reading, NaN without a reference.
 */
export function ratePerMin(slot: SlotState, rule: CompiledRule, ts: number, v: number): number {
  const cap = rule.capacity;
  const w = windowOf(slot, cap);
  const head = w[HEAD]! | 0;
  const len = w[LEN]! | 0;
  let rate = Number.NaN;
  const from = ts - rule.windowMs;
  for (let i = 0; i < len; i++) {
    const at = ring(head, i, cap);
    const t0 = w[at]!;
    if (t0 >= from && t0 < ts) {
      rate = ((v - w[at + 1]!) * 60_000) / (ts - t0);
      break;
    }
  }
  if (len === 0 || ts - w[ring(head, len - 1, cap)]! >= rule.stepMs) push(w, cap, ts, v);
  return rate;
}

/** Rate condition: 1 when rising or dropping faster than the rule allows. */
export function rateCondition(rule: CompiledRule, rate: number): number {
  return rate >= rule.rise || -rate >= rule.drop ? 1 : 0;
}

/**
 * Trend: readings are averaged into `maxSamples` buckets of windowMs / maxSamples; completed
 * buckets live in the ring. Mean and least-squares slope (per minute) are taken over the buckets
 * inside the window plus the bucket being filled. Returns 0/1; the figure that crossed (mean or
 * slope) and its bound are left in `trendFigure` (reused, no allocation).
 */
export function trendCondition(slot: SlotState, rule: CompiledRule, ts: number, v: number): number {
  const cap = rule.capacity;
  const w = windowOf(slot, cap);
  if (w[CUR_START] === -1 || ts >= w[CUR_START]! + rule.stepMs) {
    if (w[CUR_COUNT]! > 0) push(w, cap, w[CUR_START]!, w[CUR_SUM]! / w[CUR_COUNT]!);
    w[CUR_START] = ts;
    w[CUR_SUM] = 0;
    w[CUR_COUNT] = 0;
  }
  w[CUR_SUM] = w[CUR_SUM]! + v;
  w[CUR_COUNT] = w[CUR_COUNT]! + 1;
  const from = ts - rule.windowMs;
  const head = w[HEAD]! | 0;
  const len = w[LEN]! | 0;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < len; i++) {
    const at = ring(head, i, cap);
    const t0 = w[at]!;
    if (t0 < from) continue;
    const x = (t0 - ts) / 60_000;
    const y = w[at + 1]!;
    n++;
    sx += x;
    sy += y;
    sxy += x * y;
    sxx += x * x;
  }
  const xc = (w[CUR_START]! - ts) / 60_000;
  const yc = w[CUR_SUM]! / w[CUR_COUNT]!;
  n++;
  sx += xc;
  sy += yc;
  sxy += xc * yc;
  sxx += xc * xc;
  if (n < 2) return 0;
  const mean = sy / n;
  const den = n * sxx - sx * sx;
  const slope = den > 0 ? (n * sxy - sx * sy) / den : 0;
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
