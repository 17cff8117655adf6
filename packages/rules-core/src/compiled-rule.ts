import type { AlarmKind, Comparison, EffectivePoint, LimitName, RuleSpec } from '@yujing/schemas';

/** Rule type codes used by the evaluator's switch. */
export const RULE = {
  threshold: 1,
  rate: 2,
  trend: 3,
  noData: 4,
  fault: 5,
  combination: 6,
  vote: 7,
} as const;

const OPS = { '>': 1, '>=': 2, '<': 3, '<=': 4, '==': 5, '!=': 6 } as const;

/** Compares with an op code from `OPS`. */
export function compare(op: number, v: number, ref: number): boolean {
  switch (op) {
    case 1:
      return v > ref;
    case 2:
      return v >= ref;
    case 3:
      return v < ref;
    case 4:
      return v <= ref;
    case 5:
      return v === ref;
    default:
      return v !== ref;
  }
}

/**
 * One rule precompiled into a flat, fixed-shape object: every rule kind uses the same class so
 * the evaluator's property accesses stay monomorphic. Absent numbers are NaN (comparisons false).
 */
export class CompiledRule {
  t = 0;
  id = '';
  kind: AlarmKind = 'threshold';
  level = 4;
  onDelayMs = 0;
  offDelayMs = 0;
  // threshold
  hh = Number.NaN;
  h = Number.NaN;
  l = Number.NaN;
  ll = Number.NaN;
  lvHH = 1;
  lvH = 2;
  lvL = 2;
  lvLL = 1;
  deadband = 0;
  // rate and trend windows
  windowMs = 0;
  stepMs = 0;
  capacity = 0;
  rise = Number.NaN;
  drop = Number.NaN;
  meanAbove = Number.NaN;
  meanBelow = Number.NaN;
  slopeAbove = Number.NaN;
  slopeBelow = Number.NaN;
  // no-data
  afterMs = 0;
  // sensor fault
  outOfRange = false;
  badQuality = false;
  frozenSamples = 0;
  frozenMs = 0;
  rangeMin = Number.NEGATIVE_INFINITY;
  rangeMax = Number.POSITIVE_INFINITY;
  // combination
  aPoint = '';
  aOp = 0;
  aValue = Number.NaN;
  bPoint = '';
  bOp = 0;
  bValue = Number.NaN;
  // vote
  m = 0;
  voteHigh = true;
  voteLimit = Number.NaN;
}

/** Rate windows keep this many decimated samples; trend windows `maxSamples` buckets. */
export const RATE_CAPACITY = 8;

function limitValue(
  point: EffectivePoint,
  name: LimitName,
  own?: Partial<Record<LimitName, number>>,
): number {
  const v = own ? own[name] : point.limits[name];
  return v === undefined ? Number.NaN : v;
}

function comparisonPoint(c: Comparison, owner: string): string {
  return c.point === 'self' ? owner : c.point;
}

/** Compiles one rule spec of an effective point; `mapLevel` applies the classification hook. */
export function compileRule(
  point: EffectivePoint,
  spec: RuleSpec,
  mapLevel: (level: number) => number,
): CompiledRule {
  const r = new CompiledRule();
  r.id = spec.id;
  r.kind = spec.type;
  switch (spec.type) {
    case 'threshold': {
      r.t = RULE.threshold;
      const own = spec.limits;
      r.hh = limitValue(point, 'hh', own);
      r.h = limitValue(point, 'h', own);
      r.l = limitValue(point, 'l', own);
      r.ll = limitValue(point, 'll', own);
      r.lvHH = mapLevel(spec.levels.hh ?? 1);
      r.lvH = mapLevel(spec.levels.h ?? 2);
      r.lvL = mapLevel(spec.levels.l ?? 2);
      r.lvLL = mapLevel(spec.levels.ll ?? 1);
      r.level = Math.min(r.lvHH, r.lvH, r.lvL, r.lvLL);
      r.deadband = spec.deadband ?? point.deadband;
      r.onDelayMs = spec.onDelayMs ?? point.onDelayMs;
      r.offDelayMs = spec.offDelayMs ?? point.offDelayMs;
      break;
    }
    case 'rate-of-change':
      r.t = RULE.rate;
      r.level = mapLevel(spec.level);
      r.windowMs = spec.windowMs;
      r.capacity = RATE_CAPACITY;
      r.stepMs = spec.windowMs / (RATE_CAPACITY - 1);
      r.rise = spec.risePerMin ?? Number.NaN;
      r.drop = spec.dropPerMin ?? Number.NaN;
      break;
    case 'trend':
      r.t = RULE.trend;
      r.level = mapLevel(spec.level);
      r.windowMs = spec.windowMs;
      r.capacity = spec.maxSamples;
      r.stepMs = spec.windowMs / spec.maxSamples;
      r.meanAbove = spec.meanAbove ?? Number.NaN;
      r.meanBelow = spec.meanBelow ?? Number.NaN;
      r.slopeAbove = spec.slopeAbovePerMin ?? Number.NaN;
      r.slopeBelow = spec.slopeBelowPerMin ?? Number.NaN;
      break;
    case 'no-data':
      r.t = RULE.noData;
      r.level = mapLevel(spec.level);
      r.afterMs = spec.afterPeriods * point.samplingPeriodMs;
      break;
    case 'sensor-fault':
      r.t = RULE.fault;
      r.level = mapLevel(spec.level);
      r.outOfRange = spec.outOfRange;
      r.badQuality = spec.badQuality;
      r.frozenSamples = spec.frozen?.samples ?? 0;
      r.frozenMs = spec.frozen?.durationMs ?? 0;
      r.rangeMin = point.range.min;
      r.rangeMax = point.range.max;
      break;
    case 'combination':
      r.t = RULE.combination;
      r.level = mapLevel(spec.level);
      r.aPoint = comparisonPoint(spec.a, point.code);
      r.aOp = OPS[spec.a.op];
      r.aValue = spec.a.value;
      r.bPoint = comparisonPoint(spec.b, point.code);
      r.bOp = OPS[spec.b.op];
      r.bValue = spec.b.value;
      r.windowMs = spec.withinMs;
      break;
    case 'vote':
      r.t = RULE.vote;
      r.level = mapLevel(spec.level);
      r.m = spec.m;
      r.voteHigh = spec.limit === 'h' || spec.limit === 'hh';
      r.voteLimit = limitValue(point, spec.limit);
      break;
  }
  return r;
}
