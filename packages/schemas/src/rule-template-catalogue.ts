import type { z } from 'zod';
import { RuleTemplate } from './registry-entities';

/**
 * The built-in rule templates, one per `template` id of POINT_KINDS plus the abstract bases they
 * extend. Data, not code: the registry resolves them (a registry template with the same id
 * replaces the built-in one), the fixture generator publishes them, simulators read them.
 * Every number here is a [D] design default unless the point-kind catalogue tags it otherwise;
 * see docs/point-kinds.md. Levels: 1 = 一级/红 … 4 = 四级/蓝.
 */
type TemplateInput = z.input<typeof RuleTemplate>;

const MIN = 60_000;

/** Analog base: no data for 3 sampling periods; out of range, frozen (30 samples) or bad quality. */
const baseAnalog: TemplateInput = {
  id: 'base.analog',
  description: 'no-data after 3 missed periods; sensor fault (out of range, frozen 30 samples, bad quality)',
  rules: [
    { id: 'no-data', type: 'no-data', afterPeriods: 3, level: 3 },
    {
      id: 'sensor-fault',
      type: 'sensor-fault',
      outOfRange: true,
      badQuality: true,
      frozen: { samples: 30 },
      level: 4,
    },
  ],
  byClassification: {
    // A-class (重大) sites: losing a signal is itself a level-2 matter.
    A: { levelShift: 0, rules: [{ id: 'no-data', level: 2 }] },
    C: { levelShift: 1 },
    D: { levelShift: 1 },
  },
};

/** Digital inputs and counters: a constant value is normal, so no frozen check. */
const baseDiscrete: TemplateInput = {
  id: 'base.discrete',
  description: 'no-data after 3 missed periods; sensor fault (out of range, bad quality), no frozen check',
  rules: [
    { id: 'no-data', type: 'no-data', afterPeriods: 3, level: 3 },
    { id: 'sensor-fault', type: 'sensor-fault', outOfRange: true, badQuality: true, level: 4 },
  ],
  byClassification: {
    A: { levelShift: 0, rules: [{ id: 'no-data', level: 2 }] },
    C: { levelShift: 1 },
    D: { levelShift: 1 },
  },
};

const threshold = (id: string, levels: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'threshold' as const,
  levels,
  ...extra,
});

const analog = (id: string, description: string, rules: TemplateInput['rules']): TemplateInput => ({
  id,
  description,
  extends: 'base.analog',
  rules,
});
const discrete = (id: string, description: string, rules: TemplateInput['rules']): TemplateInput => ({
  id,
  description,
  extends: 'base.discrete',
  rules,
});

const TEMPLATE_INPUTS: TemplateInput[] = [
  baseAnalog,
  baseDiscrete,
  // steel
  {
    ...analog(
      'steel.co-detector',
      'CO detector: AL (h) → level 3, AH (hh) → level 1 [S]; rate of rise; 2oo3 vote over hh',
      [
        threshold('co-limits', { h: 3, hh: 1 }, { offDelayMs: 10_000 }),
        { id: 'co-rise', type: 'rate-of-change', windowMs: MIN, risePerMin: 50, level: 2 },
        { id: 'co-vote', type: 'vote', m: 2, limit: 'hh', level: 1 },
      ],
    ),
  },
  analog('steel.analog-high', 'high (level 3) and very high (level 2) against the design value', [
    threshold('high', { h: 3, hh: 2 }),
  ]),
  analog('steel.analog-low', 'low (level 3) and very low (level 2) against the design value', [
    threshold('low', { l: 3, ll: 2 }),
  ]),
  analog('steel.analog-band', 'four limits against the design values', [
    threshold('band', { hh: 2, h: 3, l: 3, ll: 2 }),
  ]),
  discrete('steel.interlock-enabled', 'interlock not in service (DI below 0.5 for 5 s) → level 2', [
    threshold('interlock-off', { l: 2 }, { onDelayMs: 5_000 }),
  ]),
  // aluminium deep-well casting
  analog('casting.cooling-water-low', 'mould/emergency water low → level 2, very low → level 1 [V]', [
    threshold('water-low', { l: 2, ll: 1 }, { onDelayMs: 2_000 }),
  ]),
  analog(
    'casting.launder-level',
    'launder level: very high/low → level 1, high/low → level 2 [V]; sudden drop/rise [D]',
    [
      threshold('launder-band', { hh: 1, h: 2, l: 2, ll: 1 }),
      { id: 'launder-drop', type: 'rate-of-change', windowMs: 10_000, dropPerMin: 60, level: 1 },
      { id: 'launder-rise', type: 'rate-of-change', windowMs: 10_000, risePerMin: 60, level: 2 },
    ],
  ),
  analog('casting.analog-band', 'deviation from the set value: four limits', [
    threshold('band', { hh: 2, h: 3, l: 3, ll: 2 }),
  ]),
  discrete('casting.interlock-ready', 'quick shut-off / emergency drain not ready → level 2', [
    threshold('not-ready', { l: 2 }, { onDelayMs: 2_000 }),
  ]),
  // metal and wood dust
  analog(
    'dust.hopper-temperature',
    'hopper high/very high; rise ≥ 2 ℃/min over 5 min; airlock stopped while fan runs',
    [
      threshold('hopper-high', { h: 3, hh: 2 }),
      { id: 'hopper-rise', type: 'rate-of-change', windowMs: 5 * MIN, risePerMin: 2, level: 2 },
      {
        id: 'airlock-stopped-fan-running',
        type: 'combination',
        a: { point: '@airlock-running', op: '==', value: 0 },
        b: { point: '@fan-running', op: '==', value: 1 },
        withinMs: 30_000,
        level: 2,
      },
    ],
  ),
  analog(
    'dust.differential-pressure',
    'ΔP high (blockage) / low (bag rupture); sudden rise ≥ 1500 Pa/min [S]',
    [
      threshold('dp-band', { hh: 2, h: 3, l: 3, ll: 2 }),
      { id: 'dp-sudden-rise', type: 'rate-of-change', windowMs: MIN, risePerMin: 1500, level: 2 },
    ],
  ),
  discrete(
    'dust.status-only',
    'run/fault status: freshness and quality only (used by combination rules)',
    [],
  ),
  analog('dust.analog-low', 'wet collector water low → level 3, very low → level 2', [
    threshold('low', { l: 3, ll: 2 }),
  ]),
  discrete('dust.spark', 'any spark → level 2 [V]', [threshold('spark', { h: 2 }, { offDelayMs: 30_000 })]),
  discrete(
    'dust.protection-active',
    'no venting/suppression/inerting on a dry system → level 1 (major hazard) [V]',
    [threshold('protection-off', { l: 1 }, { onDelayMs: 5_000 })],
  ),
  analog('dust.gas-two-limit', 'hydrogen: AL (h) → level 2, AH (hh) → level 1', [
    threshold('h2-limits', { h: 2, hh: 1 }),
  ]),
];

/** Validated built-in templates (parsed once; a bad entry fails every test that imports schemas). */
export const RULE_TEMPLATES: readonly RuleTemplate[] = Object.freeze(
  TEMPLATE_INPUTS.map((t) => RuleTemplate.parse(t)),
);

const byId = new Map(RULE_TEMPLATES.map((t) => [t.id, t]));
export function builtInTemplate(id: string): RuleTemplate | undefined {
  return byId.get(id);
}
