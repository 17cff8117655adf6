import type { CompiledRule } from './compiled-rule';
import { type SlotState, WindowState } from './engine-state';

/**
 * Rate of change: a ring of (ts, value) samples decimated to one per `stepMs`, so the window's
 * memory is bounded (RATE_CAPACITY pairs) whatever the sampling rate. Returns units per minute
 * between the oldest sample still inside the window and this reading, NaN without a reference.
 */
export function ratePerMin(slot: SlotState, rule: CompiledRule, ts: number, v: number): number {
  const cap = rule.capacity;
  const w = windowOf(slot, cap);
  const buf = w.buf;
  // Find the oldest retained sample inside the window (ring order: head is the oldest).
  let rate = Number.NaN;
  const from = ts - rule.windowMs;
  for (let i = 0; i < w.len; i++) {
    const at = ((w.head + i) % cap) * 2;
    const t0 = buf[at]!;
    if (t0 >= from && t0 < ts) {
      rate = ((v - buf[at + 1]!) * 60_000) / (ts - t0);
      break;
    }
  }
  const newest = w.len === 0 ? -1 : ((w.head + w.len - 1) % cap) * 2;
  if (newest < 0 || ts - buf[newest]! >= rule.stepMs) {
    const at = ((w.head + w.len) % cap) * 2;
    buf[at] = ts;
    buf[at + 1] = v;
    if (w.len < cap) w.len++;
    else w.head = (w.head + 1) % cap;
  }
  return rate;
}

/** Rate condition: 1 when rising or dropping faster than the rule allows. */
export function rateCondition(rule: CompiledRule, rate: number): number {
  return rate >= rule.rise || -rate >= rule.drop ? 1 : 0;
}

/**
 * Trend: readings are averaged into `maxSamples` buckets of windowMs / maxSamples; completed
 * bucket (start, mean) pairs live in a ring. Mean and least-squares slope (per minute) are taken
 * over the buckets inside the window plus the bucket being filled. Returns 0/1; the figure that
 * crossed (mean or slope) and its bound are left in `trendFigure` (reused, no allocation).
 */
export function trendCondition(slot: SlotState, rule: CompiledRule, ts: number, v: number): number {
  const cap = rule.capacity;
  const w = windowOf(slot, cap);
  const buf = w.buf;
  if (w.curStart === -1 || ts >= w.curStart + rule.stepMs) {
    if (w.curCount > 0) {
      const at = ((w.head + w.len) % cap) * 2;
      buf[at] = w.curStart;
      buf[at + 1] = w.curSum / w.curCount;
      if (w.len < cap) w.len++;
      else w.head = (w.head + 1) % cap;
    }
    w.curStart = ts;
    w.curSum = 0;
    w.curCount = 0;
  }
  w.curSum += v;
  w.curCount++;
  // Sums over buckets inside the window, x in minutes relative to ts.
  const from = ts - rule.windowMs;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < w.len; i++) {
    const at = ((w.head + i) % cap) * 2;
    const t0 = buf[at]!;
    if (t0 < from) continue;
    const x = (t0 - ts) / 60_000;
    const y = buf[at + 1]!;
    n++;
    sx += x;
    sy += y;
    sxy += x * y;
    sxx += x * x;
  }
  const xc = (w.curStart - ts) / 60_000;
  const yc = w.curSum / w.curCount;
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

function windowOf(slot: SlotState, cap: number): WindowState {
  let w = slot.win;
  if (w === null || w.buf.length !== cap * 2) {
    w = new WindowState(new Float64Array(cap * 2));
    slot.win = w;
  }
  return w;
}
