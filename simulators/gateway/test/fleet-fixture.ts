import { RegistryDocument } from '@yujing/schemas';

/** A tiny registry (one steel, one casting, one dust enterprise) for pure tests. */
const creds = {
  mqttPasswordHash: '$7$101$c2FsdA==$aGFzaA==',
  httpTokenSha256: 'a'.repeat(64),
};
const region = (county: string) => ({ province: '140000', city: `${county.slice(0, 4)}00`, county });
const enterprise = (id: string, industries: string[], code: 'A' | 'B' | 'C', hazards: string[]) => ({
  id,
  name: `企业 ${id}`,
  region: region(id.slice(0, 6)),
  industries,
  hazards,
  classification: { scheme: 'shanxi-yjgm-2024', code, rank: { A: 1, B: 2, C: 3 }[code] },
  connectionRequiredBy: '2025-12-31',
});
const point = (
  enterpriseId: string,
  gatewayId: string,
  code: string,
  kind: string,
  unit: string,
  extra = {},
) => ({
  enterpriseId,
  gatewayId,
  code,
  name: code,
  kind,
  unit,
  range: rangeOf(kind),
  ...extra,
});
function rangeOf(kind: string) {
  const r: Record<string, { min: number; max: number }> = {
    'co-concentration': { min: 0, max: 1000 },
    'mould-water-pressure': { min: 0, max: 1.6 },
    'mould-water-flow': { min: 0, max: 600 },
    'launder-metal-level': { min: 0, max: 300 },
    'hopper-temperature': { min: -20, max: 200 },
    'airlock-running': { min: 0, max: 1 },
    'fan-running': { min: 0, max: 1 },
    'spark-count': { min: 0, max: 10_000 },
    'collector-differential-pressure': { min: 0, max: 5000 },
  };
  return r[kind]!;
}

export const STEEL = '140105S01';
export const CASTING = '140402C01';
export const DUST = '140702D01';
export const DUST_C = '140702D02';

export const fixtureDoc: RegistryDocument = RegistryDocument.parse({
  enterprises: [
    enterprise(STEEL, ['steel'], 'A', ['industrial-gas']),
    enterprise(CASTING, ['aluminium-casting'], 'B', ['molten-metal']),
    enterprise(DUST, ['metal-dust'], 'B', ['explosive-dust']),
    enterprise(DUST_C, ['metal-dust'], 'C', []),
  ],
  gateways: [
    { enterpriseId: STEEL, id: 'gw-01', credentials: creds },
    { enterpriseId: CASTING, id: 'gw-01', credentials: creds },
    { enterpriseId: DUST, id: 'gw-01', credentials: creds },
    { enterpriseId: DUST_C, id: 'gw-01', credentials: creds },
  ],
  points: [
    point(STEEL, 'gw-01', 'CO-R1-001', 'co-concentration', 'ppm', { votingGroup: 'room-1', area: 'room-1' }),
    point(STEEL, 'gw-01', 'CO-R1-002', 'co-concentration', 'ppm', { votingGroup: 'room-1', area: 'room-1' }),
    point(STEEL, 'gw-01', 'CO-R1-003', 'co-concentration', 'ppm', { votingGroup: 'room-1', area: 'room-1' }),
    point(STEEL, 'gw-01', 'CO-TP-001', 'co-concentration', 'ppm', { area: 'tuyere' }),
    point(CASTING, 'gw-01', 'MW-P-01', 'mould-water-pressure', 'MPa', {
      equipment: 'caster-1',
      samplingPeriodMs: 1000,
    }),
    point(CASTING, 'gw-01', 'MW-F-01', 'mould-water-flow', 'm³/h', {
      equipment: 'caster-1',
      samplingPeriodMs: 1000,
    }),
    point(CASTING, 'gw-01', 'LD-L-01', 'launder-metal-level', 'mm', {
      equipment: 'caster-1',
      samplingPeriodMs: 1000,
    }),
    ...[DUST, DUST_C].flatMap((e) => [
      point(e, 'gw-01', 'HP-T-01', 'hopper-temperature', '℃', { equipment: 'dc-1' }),
      point(e, 'gw-01', 'AL-R-01', 'airlock-running', 'DI', { equipment: 'dc-1' }),
      point(e, 'gw-01', 'FN-R-01', 'fan-running', 'DI', { equipment: 'dc-1' }),
      point(e, 'gw-01', 'SP-C-01', 'spark-count', 'count', { equipment: 'duct-1', samplingPeriodMs: 5000 }),
      point(e, 'gw-01', 'DP-01', 'collector-differential-pressure', 'Pa', { equipment: 'dc-1' }),
    ]),
  ],
});
