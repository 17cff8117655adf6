import type { PointKindId } from '@yujing/schemas';
import type { ProcessPhase } from './process-cycle';

/**
 * How a healthy sensor of each point kind behaves: its operating value (per process phase where
 * the process moves it), measurement noise, slow drift and how fast the operating value may
 * move. Every operating value sits inside the kind's default alarm band, and the generator keeps
 * the final value inside the point's own band, so the fleet is quiet unless a scenario acts:
 * physical effects that would cross a limit in a real plant (an empty launder between casts, no
 * differential pressure with the fan off) are scaled into the band, because the rule templates
 * do not gate on the process state. Rates stay below every rate-of-change rule, even between two
 * consecutive samples (rules-core measures from the oldest sample in its window, which right
 * after start-up or a gap is the previous one).
 */
export interface SignalProfile {
  /** Operating value: one number, or per phase with `steady` as the fallback. */
  nominal: number | Partial<Record<ProcessPhase, number>>;
  /** Measurement noise, standard deviation in the point unit (white). */
  noise: number;
  /** Slow process drift, stationary standard deviation (Ornstein–Uhlenbeck, 60 s time constant). */
  drift: number;
  /** Largest change of the operating value per minute when the phase changes. */
  maxSlopePerMin: number;
  /** Decimals sent on the wire. */
  decimals: number;
}

const digital = (nominal: SignalProfile['nominal']): SignalProfile => ({
  nominal,
  noise: 0,
  drift: 0,
  maxSlopePerMin: Number.POSITIVE_INFINITY,
  decimals: 0,
});

const analog = (
  nominal: SignalProfile['nominal'],
  noise: number,
  drift: number,
  maxSlopePerMin: number,
  decimals: number,
): SignalProfile => ({ nominal, noise, drift, maxSlopePerMin, decimals });

export const SIGNAL_PROFILES: Readonly<Record<PointKindId, SignalProfile>> = {
  // steel gas areas: ambient CO of a few ppm, furnace and gas-system values near design
  'co-concentration': analog(3, 0.6, 0.8, 5, 1),
  'bf-top-pressure': analog(200, 1.5, 3, 20, 1),
  'bleeder-interlock': digital(1),
  'cooling-outlet-temperature': analog(36, 0.2, 0.6, 2, 2),
  'cooling-delta-flow': analog(0.8, 0.15, 0.2, 1, 2),
  'oxygen-lance-pressure': analog(0.9, 0.01, 0.02, 0.1, 3),
  'oxygen-lance-cooling-flow': analog(230, 2, 5, 20, 1),
  'gas-holder-level': analog(28, 0.05, 1, 1, 2),
  'gas-holder-pressure': analog(6, 0.05, 0.2, 0.5, 2),
  'converter-gas-oxygen': analog(0.6, 0.05, 0.1, 0.5, 2),
  // deep-well casting: water and metal follow the cast
  'mould-water-pressure': analog(
    { steady: 0.42, 'pre-cast': 0.45, casting: 0.5, end: 0.45 },
    0.005,
    0.01,
    0.2,
    3,
  ),
  'mould-water-flow': analog({ steady: 260, 'pre-cast': 300, casting: 380, end: 300 }, 2, 4, 100, 1),
  'launder-metal-level': analog({ steady: 90, 'pre-cast': 95, casting: 130, end: 100 }, 0.1, 0.2, 10, 1),
  'casting-pit-water-level': analog({ steady: 5, casting: 5.6, end: 5.4 }, 0.01, 0.05, 0.5, 2),
  'cooling-water-temperature': analog({ steady: 22, casting: 28, end: 26 }, 0.1, 0.3, 1, 2),
  'emergency-water-pressure': analog(0.45, 0.004, 0.01, 0.1, 3),
  'casting-speed': analog({ steady: 50, 'pre-cast': 52, casting: 85, end: 55 }, 0.5, 1, 30, 1),
  'quick-shutoff-ready': digital(1),
  'emergency-drain-ready': digital(1),
  // dust collectors: the fan cycle moves temperature and differential pressure
  'hopper-temperature': analog(
    { steady: 38, running: 38, purging: 37, stopped: 34, starting: 35 },
    0.03,
    0.05,
    0.3,
    2,
  ),
  'collector-differential-pressure': analog(
    { steady: 950, running: 950, purging: 650, stopped: 600, starting: 700 },
    8,
    20,
    300,
    0,
  ),
  'airlock-running': digital({ steady: 1, running: 1, purging: 1, stopped: 0, starting: 1 }),
  'fan-running': digital({ steady: 1, running: 1, purging: 0, stopped: 0, starting: 0 }),
  'wet-tank-level': analog(1100, 3, 20, 50, 0),
  'wet-water-flow': analog(60, 0.5, 2, 10, 1),
  'spark-count': digital(0),
  'suppression-ready': digital(1),
  'hydrogen-concentration': analog(1.5, 0.2, 0.3, 2, 1),
};

/** The operating value of a profile in a phase. */
export function nominalFor(profile: SignalProfile, phase: ProcessPhase): number {
  if (typeof profile.nominal === 'number') return profile.nominal;
  return profile.nominal[phase] ?? profile.nominal.steady ?? 0;
}

/** The profile of a catalogue kind; a kind added to the catalogue without one fails loudly. */
export function signalProfile(kind: PointKindId): SignalProfile {
  const profile = SIGNAL_PROFILES[kind];
  if (!profile) throw new Error(`no signal profile for point kind "${kind}" (add it to SIGNAL_PROFILES)`);
  return profile;
}
