/**
 * Process cycles that shape the signals of one piece of equipment over time: a deep-well casting
 * cycle (idle → pre-cast checks → casting → end) and a dust-collector cycle with the real start
 * and stop sequencing (the rotary airlock starts before the fan and runs on after it, so the
 * hopper is never left without discharge while the fan draws dust). Pure: phase = f(time).
 */
export type ProcessPhase =
  | 'steady'
  | 'idle'
  | 'pre-cast'
  | 'casting'
  | 'end'
  | 'starting'
  | 'running'
  | 'purging'
  | 'stopped';

export interface ProcessCycle {
  name: 'steady' | 'casting' | 'collector';
  phases: readonly { phase: ProcessPhase; durationMs: number }[];
}

export const STEADY_CYCLE: ProcessCycle = {
  name: 'steady',
  phases: [{ phase: 'steady', durationMs: 60_000 }],
};

/** One cast every 6 minutes: a compressed but ordered version of a real 1–2 h drop. */
export const CASTING_CYCLE: ProcessCycle = {
  name: 'casting',
  phases: [
    { phase: 'idle', durationMs: 120_000 },
    { phase: 'pre-cast', durationMs: 30_000 },
    { phase: 'casting', durationMs: 180_000 },
    { phase: 'end', durationMs: 30_000 },
  ],
};

/**
 * Collector: runs 8 min, then the fan stops and the airlock purges the hopper for 60 s, both
 * stay off 90 s, the airlock restarts 60 s before the fan. The 60 s gaps are longer than the
 * 30 s window of the "airlock stopped while fan runs" combination rule, so a normal stop or
 * start never raises it.
 */
export const COLLECTOR_CYCLE: ProcessCycle = {
  name: 'collector',
  phases: [
    { phase: 'running', durationMs: 480_000 },
    { phase: 'purging', durationMs: 60_000 },
    { phase: 'stopped', durationMs: 90_000 },
    { phase: 'starting', durationMs: 60_000 },
  ],
};

export function cycleLengthMs(cycle: ProcessCycle): number {
  return cycle.phases.reduce((sum, p) => sum + p.durationMs, 0);
}

/** The phase of `cycle` at `nowMs` for equipment whose cycle is shifted by `offsetMs`. */
export function phaseAt(cycle: ProcessCycle, offsetMs: number, nowMs: number): ProcessPhase {
  const length = cycleLengthMs(cycle);
  let t = (((nowMs + offsetMs) % length) + length) % length;
  for (const p of cycle.phases) {
    if (t < p.durationMs) return p.phase;
    t -= p.durationMs;
  }
  return cycle.phases[cycle.phases.length - 1]!.phase;
}

const CASTING_KINDS = new Set([
  'mould-water-pressure',
  'mould-water-flow',
  'launder-metal-level',
  'casting-pit-water-level',
  'cooling-water-temperature',
  'emergency-water-pressure',
  'casting-speed',
  'quick-shutoff-ready',
  'emergency-drain-ready',
]);
const COLLECTOR_KINDS = new Set([
  'fan-running',
  'airlock-running',
  'hopper-temperature',
  'collector-differential-pressure',
]);

/** Which cycle drives a group of points on one piece of equipment, from their kinds. */
export function cycleForKinds(kinds: Iterable<string>): ProcessCycle {
  const all = [...kinds];
  if (all.some((k) => CASTING_KINDS.has(k))) return CASTING_CYCLE;
  if (all.some((k) => COLLECTOR_KINDS.has(k))) return COLLECTOR_CYCLE;
  return STEADY_CYCLE;
}
