import { describe, expect, it } from 'vitest';
import { builtInTemplate, EffectivePoint, POINT_KINDS, RULE_TEMPLATES, type RuleSpec } from '../src/index';

/** Rules of a template with its extends chain (parent first, child replaces by id). */
function rulesOf(id: string): RuleSpec[] {
  const t = builtInTemplate(id);
  if (!t) throw new Error(`no template ${id}`);
  const parent = t.extends ? rulesOf(t.extends) : [];
  return [...parent.filter((r) => !t.rules.some((c) => c.id === r.id)), ...t.rules];
}

describe('rule template catalogue', () => {
  it('has a template for every point kind, and every extends resolves', () => {
    for (const k of POINT_KINDS) expect(builtInTemplate(k.template), k.kind).toBeDefined();
    for (const t of RULE_TEMPLATES) if (t.extends) expect(builtInTemplate(t.extends), t.id).toBeDefined();
    expect(new Set(RULE_TEMPLATES.map((t) => t.id)).size).toBe(RULE_TEMPLATES.length);
  });

  it('gives every analog kind a no-data rule after 3 periods and a full sensor-fault rule', () => {
    for (const k of POINT_KINDS.filter((p) => p.signal === 'analog')) {
      const rules = rulesOf(k.template);
      expect(
        rules.find((r) => r.type === 'no-data'),
        k.kind,
      ).toMatchObject({ afterPeriods: 3 });
      expect(
        rules.find((r) => r.type === 'sensor-fault'),
        k.kind,
      ).toMatchObject({ outOfRange: true, badQuality: true, frozen: { samples: 30 } });
    }
  });

  it('maps CO AL/AH to levels 3/1 with rate-of-rise and a 2oo3 vote over hh', () => {
    const rules = rulesOf('steel.co-detector');
    expect(rules.find((r) => r.type === 'threshold')).toMatchObject({ levels: { h: 3, hh: 1 } });
    expect(rules.some((r) => r.type === 'rate-of-change' && r.risePerMin !== undefined)).toBe(true);
    expect(rules.find((r) => r.type === 'vote')).toMatchObject({ m: 2, limit: 'hh' });
  });

  it('combines the hopper with the airlock stopped while the fan runs', () => {
    const combo = rulesOf('dust.hopper-temperature').find((r) => r.type === 'combination');
    expect(combo).toMatchObject({
      a: { point: '@airlock-running', op: '==', value: 0 },
      b: { point: '@fan-running', op: '==', value: 1 },
    });
    expect(rulesOf('dust.hopper-temperature').some((r) => r.type === 'rate-of-change')).toBe(true);
  });

  it('watches the launder level for a sudden drop', () => {
    expect(
      rulesOf('casting.launder-level').find((r) => r.type === 'rate-of-change' && r.dropPerMin !== undefined),
    ).toBeDefined();
  });

  it('shifts C and D classes one level down through the base templates', () => {
    for (const base of ['base.analog', 'base.discrete']) {
      expect(builtInTemplate(base)?.byClassification.C?.levelShift).toBe(1);
      expect(builtInTemplate(base)?.byClassification.D?.levelShift).toBe(1);
    }
  });
});

describe('EffectivePoint', () => {
  const ep = {
    enterpriseId: '140105MD01',
    code: 'TT-DC01',
    kind: 'hopper-temperature',
    unit: '℃',
    gatewayId: 'gw-01',
    range: { min: -20, max: 200 },
    limits: { h: 60, hh: 70 },
    deadband: 1,
    onDelayMs: 0,
    offDelayMs: 0,
    samplingPeriodMs: 10_000,
    interlock: false,
    rules: [{ id: 'no-data', type: 'no-data', afterPeriods: 3, level: 3 }],
  };
  it('accepts a resolved point', () => expect(EffectivePoint.safeParse(ep).success).toBe(true));
  it.each([
    [{ deadband: undefined }, 'deadband'],
    [{ kind: 'nope' }, 'kind'],
    [{ rules: [{ id: 'x', type: 'magic' }] }, 'rules.0.type'],
    [{ limits: { h: 70, hh: 60 } }, 'limits.hh'],
  ])('rejects %j', (over, path) => {
    const r = EffectivePoint.safeParse({ ...ep, ...over });
    expect(r.success ? [] : r.error.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
