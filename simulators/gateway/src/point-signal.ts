import type { Limits } from '@yujing/schemas';
import type { ProcessPhase } from './process-cycle';
import type { SeededRandom } from './seeded-random';
import { nominalFor, type SignalProfile } from './signal-profile';

export interface SignalBounds {
  range: { min: number; max: number };
  limits: Limits;
  deadband: number;
}

const DRIFT_TAU_MS = 60_000;

/**
 * The band a healthy value stays in: between the innermost low and high limits (or the
 * instrument range), shrunk by a margin so deadbands and noise never touch a limit.
 */
export function safeBand(bounds: SignalBounds, noise: number): { lo: number; hi: number } {
  const { limits, range } = bounds;
  const lows = [limits.l, limits.ll, range.min].filter((v): v is number => v !== undefined);
  const highs = [limits.h, limits.hh, range.max].filter((v): v is number => v !== undefined);
  const lo = Math.max(...lows);
  const hi = Math.min(...highs);
  const margin = Math.min((hi - lo) * 0.1, Math.max(2 * bounds.deadband, 4 * noise));
  return { lo: lo + margin, hi: hi - margin };
}

/**
 * One healthy sensor: operating value following the process phase at a bounded slope, slow
 * Ornstein–Uhlenbeck drift and white measurement noise, reflected into the safe band (reflection
 * rather than clamping, so a value never sticks at the edge and looks frozen).
 */
export class PointSignal {
  #setpoint: number | undefined;
  #drift = 0;
  #lastMs: number | undefined;
  #last = 0;
  readonly #band: { lo: number; hi: number };
  readonly #digital: boolean;

  constructor(
    readonly profile: SignalProfile,
    bounds: SignalBounds,
    private readonly rng: SeededRandom,
  ) {
    this.#band = safeBand(bounds, profile.noise);
    this.#digital = profile.noise === 0 && profile.drift === 0;
  }

  /** The last value produced (what a scenario ramp starts from). */
  get last(): number {
    return this.#last;
  }

  sample(nowMs: number, phase: ProcessPhase): number {
    const target = this.#target(phase);
    if (this.#digital) {
      this.#last = target;
      return target;
    }
    const dt = this.#lastMs === undefined ? 0 : Math.max(0, nowMs - this.#lastMs);
    this.#lastMs = nowMs;
    if (this.#setpoint === undefined) {
      this.#setpoint = target;
      this.#drift = this.profile.drift * this.rng.gaussian();
    } else {
      const step = (this.profile.maxSlopePerMin * dt) / 60_000;
      this.#setpoint += Math.max(-step, Math.min(step, target - this.#setpoint));
      const decay = Math.exp(-dt / DRIFT_TAU_MS);
      this.#drift =
        this.#drift * decay + this.profile.drift * Math.sqrt(1 - decay * decay) * this.rng.gaussian();
    }
    const raw = this.#setpoint + this.#drift + this.profile.noise * this.rng.gaussian();
    this.#last = round(reflect(raw, this.#band.lo, this.#band.hi), this.profile.decimals);
    return this.#last;
  }

  #target(phase: ProcessPhase): number {
    const nominal = nominalFor(this.profile, phase);
    if (this.#digital) return nominal;
    const { lo, hi } = this.#band;
    return nominal >= lo && nominal <= hi ? nominal : (lo + hi) / 2;
  }
}

function reflect(v: number, lo: number, hi: number): number {
  if (hi <= lo) return lo;
  let x = v;
  for (let i = 0; i < 4 && (x < lo || x > hi); i++) x = x < lo ? 2 * lo - x : 2 * hi - x;
  return Math.min(hi, Math.max(lo, x));
}

export function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}
