import type { RegistryDocument, RegistryRecord } from '@yujing/schemas';
import { Enterprise, Point, RuleTemplate } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { RegistryStore } from '../src/registry-store';

const enterprise = (id: string, code: 'A' | 'B' | 'C' | 'D', county = '140105') =>
  Enterprise.parse({
    id,
    name: '测试企业',
    region: { province: '140000', city: `${county.slice(0, 4)}00`, county },
    industries: ['steel', 'metal-dust'],
    hazards: code === 'C' || code === 'D' ? [] : ['industrial-gas'],
    classification: { scheme: 'shanxi-yjgm-2024', code, rank: { A: 1, B: 2, C: 3, D: 4 }[code] },
    connectionRequiredBy: '2025-12-31',
  });
const point = (enterpriseId: string, code: string, extra: Record<string, unknown> = {}) =>
  Point.parse({
    enterpriseId,
    code,
    name: code,
    kind: 'co-concentration',
    unit: 'ppm',
    gatewayId: 'gw-01',
    range: { min: 0, max: 1000 },
    ...extra,
  });
const doc = (over: Partial<RegistryDocument>): RegistryDocument => ({
  enterprises: [],
  gateways: [],
  points: [],
  templates: [],
  policies: [],
  subscriptions: [],
  people: [],
  rosters: [],
  platforms: [],
  ...over,
});
const record = (kind: RegistryRecord['kind'], id: string, data: unknown, version = 1): RegistryRecord => ({
  kind,
  id,
  version,
  changedBy: 'test',
  changedAt: 1_700_000_000_000,
  data,
});

describe('RegistryStore effective points', () => {
  it('fills threshold rules from the kind defaults and keeps the CO levels h→3, hh→1 for B', () => {
    const s = new RegistryStore();
    s.loadDocument(
      doc({
        enterprises: [enterprise('140105X01', 'B')],
        points: [point('140105X01', 'CO-1', { votingGroup: 'R1' })],
      }),
    );
    const ep = s.effectivePoint('140105X01', 'CO-1')!;
    const limits = ep.rules.find((r) => r.id === 'co-limits');
    expect(limits).toMatchObject({
      type: 'threshold',
      limits: { h: 24, hh: 160 },
      levels: { h: 3, hh: 1 },
      deadband: 4,
    });
    expect(ep.rules.map((r) => r.id)).toEqual(['no-data', 'sensor-fault', 'co-limits', 'co-rise', 'co-vote']);
  });

  it('shifts levels by +1 for class C and clamps at 4', () => {
    const s = new RegistryStore();
    s.loadDocument(
      doc({ enterprises: [enterprise('140105X02', 'C')], points: [point('140105X02', 'CO-1')] }),
    );
    const ep = s.effectivePoint('140105X02', 'CO-1')!;
    expect(ep.rules.find((r) => r.id === 'co-limits')).toMatchObject({ levels: { h: 4, hh: 2 } });
    expect(ep.rules.find((r) => r.id === 'sensor-fault')).toMatchObject({ level: 4 });
  });

  it('applies the A-class variant override (no-data at level 2) and drops vote rules without a group', () => {
    const s = new RegistryStore();
    s.loadDocument(
      doc({ enterprises: [enterprise('140105X03', 'A')], points: [point('140105X03', 'CO-1')] }),
    );
    const ep = s.effectivePoint('140105X03', 'CO-1')!;
    expect(ep.rules.find((r) => r.id === 'no-data')).toMatchObject({ level: 2 });
    expect(ep.rules.some((r) => r.type === 'vote')).toBe(false);
  });

  it('lets point design limits, deadband and overrides win, and adds a rule with a new id and type', () => {
    const s = new RegistryStore();
    const p = point('140105X04', 'CO-1', {
      limits: { h: 30, hh: 150 },
      deadband: 2,
      onDelayMs: 3000,
      rules: [
        { id: 'co-rise', risePerMin: 80, level: 1 },
        { id: 'sensor-fault', enabled: false },
        { id: 'co-trend', type: 'trend', windowMs: 600_000, meanAbove: 50, level: 3 },
      ],
    });
    s.loadDocument(doc({ enterprises: [enterprise('140105X04', 'C')], points: [p] }));
    const ep = s.effectivePoint('140105X04', 'CO-1')!;
    expect(ep.limits).toEqual({ h: 30, hh: 150 });
    expect(ep.rules.find((r) => r.id === 'co-limits')).toMatchObject({
      limits: { h: 30, hh: 150 },
      deadband: 2,
      onDelayMs: 3000,
      offDelayMs: 10_000,
    });
    expect(ep.rules.find((r) => r.id === 'co-rise')).toMatchObject({ risePerMin: 80, level: 1 });
    expect(ep.rules.some((r) => r.id === 'sensor-fault')).toBe(false);
    expect(ep.rules.find((r) => r.id === 'co-trend')).toMatchObject({ type: 'trend', meanAbove: 50 });
  });

  it('resolves registry templates with extends before the built-in ones, and @kind references', () => {
    const s = new RegistryStore();
    const custom = RuleTemplate.parse({
      id: 'custom.hopper',
      extends: 'dust.hopper-temperature',
      rules: [{ id: 'hopper-high', type: 'threshold', levels: { h: 2, hh: 1 } }],
    });
    const dust = (code: string, kind: string, unit: string, extra = {}) =>
      point('140105X05', code, {
        kind,
        unit,
        range: { min: kind === 'hopper-temperature' ? -20 : 0, max: kind === 'hopper-temperature' ? 200 : 1 },
        equipment: 'DC-01',
        ...extra,
      });
    s.loadDocument(
      doc({
        enterprises: [enterprise('140105X05', 'B')],
        templates: [custom],
        points: [
          dust('TT-1', 'hopper-temperature', '℃', { template: 'custom.hopper' }),
          dust('AL-1', 'airlock-running', 'DI'),
          dust('FAN-1', 'fan-running', 'DI'),
        ],
      }),
    );
    const ep = s.effectivePoint('140105X05', 'TT-1')!;
    expect(ep.rules.find((r) => r.id === 'hopper-high')).toMatchObject({
      levels: { h: 2, hh: 1 },
      limits: { h: 60, hh: 70 },
    });
    expect(ep.rules.find((r) => r.id === 'airlock-stopped-fan-running')).toMatchObject({
      a: { point: 'AL-1' },
      b: { point: 'FAN-1' },
    });
  });
});

describe('RegistryStore.apply', () => {
  it('applies records and tombstones, counts versions, notifies listeners and invalidates the cache', () => {
    const s = new RegistryStore();
    const changes: string[] = [];
    s.onChange((c) => changes.push(`${c.kind}/${c.id}${c.deleted ? ' deleted' : ''}`));
    s.apply('enterprise/140105X06', record('enterprise', '140105X06', enterprise('140105X06', 'B')));
    s.apply('point/140105X06:CO-1', record('point', '140105X06:CO-1', point('140105X06', 'CO-1')));
    expect(s.effectivePoint('140105X06', 'CO-1')?.limits).toEqual({ h: 24, hh: 160 });
    s.apply(
      'point/140105X06:CO-1',
      record('point', '140105X06:CO-1', point('140105X06', 'CO-1', { limits: { h: 20, hh: 100 } }), 2),
    );
    expect(s.effectivePoint('140105X06', 'CO-1')?.limits).toEqual({ h: 20, hh: 100 });
    expect(s.meta('point', '140105X06:CO-1')).toMatchObject({ version: 2, changedBy: 'test' });
    s.apply('enterprise/140105X06', null);
    expect(s.enterprise('140105X06')).toBeUndefined();
    expect(s.effectivePoint('140105X06', 'CO-1')).toBeUndefined();
    s.apply('enterprise/140105X06', null); // a second tombstone changes nothing
    expect(s.version).toBe(4);
    expect(changes).toEqual([
      'enterprise/140105X06',
      'point/140105X06:CO-1',
      'point/140105X06:CO-1',
      'enterprise/140105X06 deleted',
    ]);
  });

  it.each([
    ['bad-key', record('enterprise', 'x', {}), /YJ_ERR_REGISTRY_KEY_INVALID|not "<kind>\/<id>"/],
    ['widget/1', record('enterprise', '1', {}), /not "<kind>\/<id>"/],
    ['enterprise/140105X07', record('enterprise', '140105X07', { id: '140105X07' }), /invalid/],
    ['point/140105X07:OTHER', record('point', '140105X07:OTHER', point('140105X07', 'CO-1')), /invalid/],
  ])('rejects %s without changing the store', (key, rec, message) => {
    const s = new RegistryStore();
    expect(() => s.apply(key, rec)).toThrow(message);
    expect(s.version).toBe(0);
  });

  it('finds the escalation policy covering a class and level', () => {
    const s = new RegistryStore();
    const step = { afterMs: 0, notify: 'enterprise', unless: 'acknowledged' } as const;
    s.loadDocument(
      doc({
        policies: [
          { id: 'p-a1', classification: ['A'], levels: [1], steps: [step] },
          { id: 'p-rest', classification: ['A', 'B'], levels: [2, 3], steps: [step] },
        ],
      }),
    );
    expect(s.policyFor('A', 1)?.id).toBe('p-a1');
    expect(s.policyFor('B', 3)?.id).toBe('p-rest');
    expect(s.policyFor('D', 4)).toBeUndefined();
  });
});
