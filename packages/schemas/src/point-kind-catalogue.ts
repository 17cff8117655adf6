import type { Industry } from './primitives';

/**
 * The point kinds yujing knows, per industry, from shared/domain/README.md. Limits here are
 * defaults that a point's design values (设计值) override. Tags: [V] official text, [S] secondary
 * source, [D] our documented design choice (see docs/point-kinds.md).
 */
export type SignalType = 'analog' | 'digital' | 'counter';

export interface PointKindDefinition {
  kind: string;
  industry: Industry | 'all';
  nameZh: string;
  name: string;
  unit: string;
  signal: SignalType;
  range: { min: number; max: number };
  limits: { hh?: number; h?: number; l?: number; ll?: number };
  /** Absolute deadband in the point unit. */
  deadband: number;
  samplingPeriodMs: number;
  /** Default rule template id (see rule-template catalogue). */
  template: string;
  source: string;
}

const k = (d: PointKindDefinition) => d;

// biome-ignore format: one row per point kind reads as a table
export const POINT_KINDS = [
  // steel gas areas (煤气区域)
  k({ kind: 'co-concentration', industry: 'steel', nameZh: '一氧化碳浓度', name: 'CO concentration', unit: 'ppm', signal: 'analog', range: { min: 0, max: 1000 }, limits: { h: 24, hh: 160 }, deadband: 4, samplingPeriodMs: 10_000, template: 'steel.co-detector', source: 'AL 24 / AH 160 ppm [S]; rate and 2oo3 voting [D]' }),
  k({ kind: 'bf-top-pressure', industry: 'steel', nameZh: '高炉炉顶压力', name: 'blast-furnace top pressure', unit: 'kPa', signal: 'analog', range: { min: 0, max: 400 }, limits: { h: 250, hh: 280 }, deadband: 5, samplingPeriodMs: 5_000, template: 'steel.analog-high', source: 'high vs design [S]' }),
  k({ kind: 'bleeder-interlock', industry: 'steel', nameZh: '放散阀联锁投用', name: 'bleeder valve interlock enabled', unit: 'DI', signal: 'digital', range: { min: 0, max: 1 }, limits: { l: 0.5 }, deadband: 0, samplingPeriodMs: 10_000, template: 'steel.interlock-enabled', source: 'interlock disabled = alarm [S]' }),
  k({ kind: 'cooling-outlet-temperature', industry: 'steel', nameZh: '水冷元件出水温度', name: 'water-cooled element outlet temperature', unit: '℃', signal: 'analog', range: { min: 0, max: 100 }, limits: { h: 45, hh: 55 }, deadband: 1, samplingPeriodMs: 5_000, template: 'steel.analog-high', source: 'high temperature [V]' }),
  k({ kind: 'cooling-delta-flow', industry: 'steel', nameZh: '进出水流量差', name: 'inlet–outlet flow difference', unit: 'm³/h', signal: 'analog', range: { min: -50, max: 50 }, limits: { h: 3, hh: 6 }, deadband: 0.5, samplingPeriodMs: 5_000, template: 'steel.analog-high', source: 'high Δflow [V]' }),
  k({ kind: 'oxygen-lance-pressure', industry: 'steel', nameZh: '氧枪氧气压力', name: 'oxygen lance O₂ pressure', unit: 'MPa', signal: 'analog', range: { min: 0, max: 2 }, limits: { l: 0.6, ll: 0.4, h: 1.2 }, deadband: 0.02, samplingPeriodMs: 5_000, template: 'steel.analog-band', source: 'low/high [S]' }),
  k({ kind: 'oxygen-lance-cooling-flow', industry: 'steel', nameZh: '氧枪冷却水进水流量', name: 'oxygen lance cooling inflow', unit: 'm³/h', signal: 'analog', range: { min: 0, max: 400 }, limits: { l: 150, ll: 120 }, deadband: 5, samplingPeriodMs: 5_000, template: 'steel.analog-low', source: 'low flow [S]' }),
  k({ kind: 'gas-holder-level', industry: 'steel', nameZh: '煤气柜柜位', name: 'gas holder level', unit: 'm', signal: 'analog', range: { min: 0, max: 60 }, limits: { ll: 5, l: 8, h: 48, hh: 52 }, deadband: 0.3, samplingPeriodMs: 10_000, template: 'steel.analog-band', source: 'high/low vs design [S]' }),
  k({ kind: 'gas-holder-pressure', industry: 'steel', nameZh: '煤气柜压力', name: 'gas holder pressure', unit: 'kPa', signal: 'analog', range: { min: 0, max: 20 }, limits: { ll: 2, l: 3, h: 9, hh: 10 }, deadband: 0.2, samplingPeriodMs: 10_000, template: 'steel.analog-band', source: 'high/low vs design [S]' }),
  k({ kind: 'converter-gas-oxygen', industry: 'steel', nameZh: '转炉煤气回收氧含量', name: 'converter gas recovery O₂', unit: '%', signal: 'analog', range: { min: 0, max: 25 }, limits: { h: 1.5, hh: 2 }, deadband: 0.1, samplingPeriodMs: 2_000, template: 'steel.analog-high', source: 'stop recovery above 2 % [S]' }),
  // aluminium deep-well casting (铝加工·深井铸造)
  k({ kind: 'mould-water-pressure', industry: 'aluminium-casting', nameZh: '结晶器冷却水进水压力', name: 'mould cooling-water inlet pressure', unit: 'MPa', signal: 'analog', range: { min: 0, max: 1.6 }, limits: { l: 0.25, ll: 0.18 }, deadband: 0.01, samplingPeriodMs: 1_000, template: 'casting.cooling-water-low', source: 'low → alarm, interlocked [V]' }),
  k({ kind: 'mould-water-flow', industry: 'aluminium-casting', nameZh: '结晶器冷却水流量', name: 'mould cooling-water flow', unit: 'm³/h', signal: 'analog', range: { min: 0, max: 600 }, limits: { l: 180, ll: 140 }, deadband: 5, samplingPeriodMs: 1_000, template: 'casting.cooling-water-low', source: 'low → alarm, interlocked [V]' }),
  k({ kind: 'launder-metal-level', industry: 'aluminium-casting', nameZh: '流槽铝液液位', name: 'launder metal level', unit: 'mm', signal: 'analog', range: { min: 0, max: 300 }, limits: { ll: 40, l: 60, h: 180, hh: 210 }, deadband: 3, samplingPeriodMs: 1_000, template: 'casting.launder-level', source: 'sudden rise/drop, very high/low [V]; rate rule [D]' }),
  k({ kind: 'casting-pit-water-level', industry: 'aluminium-casting', nameZh: '铸造井水位', name: 'casting-pit water level', unit: 'm', signal: 'analog', range: { min: 0, max: 12 }, limits: { h: 8, hh: 9 }, deadband: 0.1, samplingPeriodMs: 5_000, template: 'casting.analog-band', source: 'deviation from set value [S]' }),
  k({ kind: 'cooling-water-temperature', industry: 'aluminium-casting', nameZh: '冷却水温度', name: 'cooling-water temperature', unit: '℃', signal: 'analog', range: { min: 0, max: 80 }, limits: { h: 35, hh: 40 }, deadband: 0.5, samplingPeriodMs: 5_000, template: 'casting.analog-band', source: 'deviation from set value [S]' }),
  k({ kind: 'emergency-water-pressure', industry: 'aluminium-casting', nameZh: '应急水压力', name: 'emergency water pressure', unit: 'MPa', signal: 'analog', range: { min: 0, max: 1.6 }, limits: { l: 0.2, ll: 0.15 }, deadband: 0.01, samplingPeriodMs: 5_000, template: 'casting.cooling-water-low', source: 'emergency water missing = major hazard [V]' }),
  k({ kind: 'casting-speed', industry: 'aluminium-casting', nameZh: '铸造速度', name: 'casting speed', unit: 'mm/min', signal: 'analog', range: { min: 0, max: 300 }, limits: { l: 40, h: 120, hh: 140 }, deadband: 2, samplingPeriodMs: 1_000, template: 'casting.analog-band', source: 'deviation from set value [S]' }),
  k({ kind: 'quick-shutoff-ready', industry: 'aluminium-casting', nameZh: '快速切断阀就绪', name: 'quick shut-off valve ready', unit: 'DI', signal: 'digital', range: { min: 0, max: 1 }, limits: { l: 0.5 }, deadband: 0, samplingPeriodMs: 5_000, template: 'casting.interlock-ready', source: 'not ready before cast → alarm [S]' }),
  k({ kind: 'emergency-drain-ready', industry: 'aluminium-casting', nameZh: '紧急排放就绪', name: 'emergency drain ready', unit: 'DI', signal: 'digital', range: { min: 0, max: 1 }, limits: { l: 0.5 }, deadband: 0, samplingPeriodMs: 5_000, template: 'casting.interlock-ready', source: 'not ready before cast → alarm [S]' }),
  // metal and wood dust (粉尘涉爆)
  k({ kind: 'hopper-temperature', industry: 'metal-dust', nameZh: '灰斗温度', name: 'dry collector hopper temperature', unit: '℃', signal: 'analog', range: { min: -20, max: 200 }, limits: { h: 60, hh: 70 }, deadband: 1, samplingPeriodMs: 10_000, template: 'dust.hopper-temperature', source: 'high and rate-of-rise [S]/[D]' }),
  k({ kind: 'collector-differential-pressure', industry: 'metal-dust', nameZh: '除尘器进出口压差', name: 'collector inlet–outlet differential pressure', unit: 'Pa', signal: 'analog', range: { min: 0, max: 5000 }, limits: { ll: 300, l: 500, h: 1500, hh: 2000 }, deadband: 20, samplingPeriodMs: 10_000, template: 'dust.differential-pressure', source: 'high (blockage, sudden rise ≥ 1500 Pa) and low (bag rupture) [S]' }),
  k({ kind: 'airlock-running', industry: 'metal-dust', nameZh: '锁气卸灰阀运行', name: 'rotary airlock running', unit: 'DI', signal: 'digital', range: { min: 0, max: 1 }, limits: {}, deadband: 0, samplingPeriodMs: 10_000, template: 'dust.status-only', source: 'fault or stopped while fan runs → alarm [S]/[D]' }),
  k({ kind: 'fan-running', industry: 'metal-dust', nameZh: '除尘风机运行', name: 'collector fan running', unit: 'DI', signal: 'digital', range: { min: 0, max: 1 }, limits: {}, deadband: 0, samplingPeriodMs: 10_000, template: 'dust.status-only', source: 'context for combination rules [D]' }),
  k({ kind: 'wet-tank-level', industry: 'metal-dust', nameZh: '湿式除尘水箱液位', name: 'wet collector tank level', unit: 'mm', signal: 'analog', range: { min: 0, max: 2000 }, limits: { l: 400, ll: 300 }, deadband: 10, samplingPeriodMs: 10_000, template: 'dust.analog-low', source: 'low → alarm [S]' }),
  k({ kind: 'wet-water-flow', industry: 'metal-dust', nameZh: '循环水流量', name: 'wet collector circulating water flow', unit: 'm³/h', signal: 'analog', range: { min: 0, max: 200 }, limits: { l: 20, ll: 10 }, deadband: 1, samplingPeriodMs: 10_000, template: 'dust.analog-low', source: 'low → alarm [S]' }),
  k({ kind: 'spark-count', industry: 'metal-dust', nameZh: '火花探测计数', name: 'spark detection count', unit: 'count', signal: 'counter', range: { min: 0, max: 10_000 }, limits: { h: 0.5 }, deadband: 0, samplingPeriodMs: 5_000, template: 'dust.spark', source: 'any spark → alarm [V]' }),
  k({ kind: 'suppression-ready', industry: 'metal-dust', nameZh: '泄爆/抑爆/惰化投用', name: 'venting/suppression/inerting active', unit: 'DI', signal: 'digital', range: { min: 0, max: 1 }, limits: { l: 0.5 }, deadband: 0, samplingPeriodMs: 10_000, template: 'dust.protection-active', source: 'none active on a dry system = major hazard [V]' }),
  k({ kind: 'hydrogen-concentration', industry: 'metal-dust', nameZh: '氢气浓度', name: 'hydrogen concentration (Al/Mg wet)', unit: '%LEL', signal: 'analog', range: { min: 0, max: 100 }, limits: { h: 10, hh: 25 }, deadband: 1, samplingPeriodMs: 5_000, template: 'dust.gas-two-limit', source: 'two limits [V]/[D]' }),
] as const satisfies readonly PointKindDefinition[];

export type PointKindId = (typeof POINT_KINDS)[number]['kind'];
export const POINT_KIND_IDS = POINT_KINDS.map((p) => p.kind) as [PointKindId, ...PointKindId[]];

const byKind = new Map<string, PointKindDefinition>(POINT_KINDS.map((p) => [p.kind, p]));
export function pointKind(kind: string): PointKindDefinition | undefined {
  return byKind.get(kind);
}

/** Dust point kinds serve both metal-dust and wood-dust enterprises. */
export function kindFitsIndustries(kind: PointKindDefinition, industries: readonly Industry[]): boolean {
  if (kind.industry === 'all') return true;
  if (kind.industry === 'metal-dust')
    return industries.includes('metal-dust') || industries.includes('wood-dust');
  return industries.includes(kind.industry);
}
