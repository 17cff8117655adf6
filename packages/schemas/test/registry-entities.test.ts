import { describe, expect, it } from 'vitest';
import {
  Enterprise,
  EscalationPolicy,
  Gateway,
  Point,
  RegistryDocument,
  RegistryRecord,
  WebhookSubscription,
} from '../src/index';

type Result = { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
const problems = (r: Result) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

const enterprise = {
  id: '140105MD01',
  name: '小店精工',
  region: { province: '140000', city: '140100', county: '140105' },
  industries: ['metal-dust'],
  hazards: ['explosive-dust'],
  dustWorkers: 46,
  classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
  connectionRequiredBy: '2024-12-31',
};
const point = {
  enterpriseId: '140105MD01',
  code: 'TT-DC01',
  name: '灰斗温度',
  kind: 'hopper-temperature',
  unit: '℃',
  gatewayId: 'gw-01',
  range: { min: -20, max: 200 },
  limits: { h: 60, hh: 70 },
};

describe('Enterprise', () => {
  it('accepts a valid enterprise and fills defaults', () => {
    expect(Enterprise.parse(enterprise)).toMatchObject({ contacts: [], hazards: ['explosive-dust'] });
  });
  it.each([
    ['a classification letter without scheme', { classification: 'B' }, /^classification: .*expected object/],
    [
      'a rank not matching the Shanxi letter',
      { classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 3 } },
      /^classification.rank: /,
    ],
    [
      'a C class with explosive dust',
      { classification: { scheme: 'shanxi-yjgm-2024', code: 'C', rank: 3 } },
      /^classification.code: .*start at B/,
    ],
    [
      'an id not starting with its county',
      { id: '140106MD01' },
      /^id: .*does not start with its county code 140105/,
    ],
    ['an id without county code', { id: 'MD01' }, /^id: /],
    [
      'a county of another city',
      { region: { province: '140000', city: '140100', county: '140403' } },
      /^region.county: /,
    ],
    [
      'a city of another province',
      { region: { province: '140000', city: '130100', county: '130105' } },
      /^region.city: /,
    ],
    ['an unknown industry', { industries: ['coal'] }, /^industries.0: /],
    ['no industries', { industries: [] }, /^industries: /],
    ['dust workers as text', { dustWorkers: 'many' }, /^dustWorkers: /],
    ['a missing deadline', { connectionRequiredBy: undefined }, /^connectionRequiredBy: /],
  ])('rejects %s', (_n, over, message) => {
    expect(problems(Enterprise.safeParse({ ...enterprise, ...over }))).toContainEqual(
      expect.stringMatching(message),
    );
  });
  it('reports a wrong county prefix even when another field is broken too', () => {
    const p = problems(Enterprise.safeParse({ ...enterprise, id: '140106MD01', classification: 'B' }));
    expect(p).toContainEqual(expect.stringMatching(/^id: /));
    expect(p).toContainEqual(expect.stringMatching(/^classification: /));
  });
  it('lets a C class stand when no hazard is declared (wet-only site)', () => {
    expect(
      Enterprise.safeParse({
        ...enterprise,
        hazards: [],
        classification: { scheme: 'shanxi-yjgm-2024', code: 'C', rank: 3 },
      }).success,
    ).toBe(true);
  });
});

describe('Point', () => {
  it('accepts a valid point with defaults', () => {
    expect(Point.parse(point)).toMatchObject({
      onDelayMs: 0,
      interlock: false,
      samplingPeriodMs: 10_000,
      rules: [],
    });
  });
  it.each([
    ['an unknown point kind', { kind: 'banana-level' }, /^kind: /],
    [
      'limits out of order (h < l)',
      { limits: { l: 80, h: 60 } },
      /^limits.h: limit h \(60\) must be above l \(80\)/,
    ],
    ['a limit outside the range', { limits: { h: 60, hh: 500 } }, /^limits.hh: .*outside the range/],
    ['a unit not matching the kind', { unit: 'K' }, /^unit: /],
    ['an inverted range', { range: { min: 10, max: 0 } }, /^range.max: /],
    ['a missing code', { code: undefined }, /^code: /],
    ['a code with a colon', { code: 'A:B' }, /^code: /],
    ['a negative deadband', { deadband: -1 }, /^deadband: /],
    ['a sampling period below 100 ms', { samplingPeriodMs: 10 }, /^samplingPeriodMs: /],
  ])('rejects %s', (_n, over, message) => {
    expect(problems(Point.safeParse({ ...point, ...over }))).toContainEqual(expect.stringMatching(message));
  });
});

describe('Gateway', () => {
  const gateway = {
    enterpriseId: '140105MD01',
    id: 'gw-01',
    credentials: {
      mqttPasswordHash:
        '$7$101$yFYOLAi8PUtaUYoL$ZIFbwDwnhhS2LrbKtz51ttFDbYQLmOwI/aTu+2gDPoFg/uSmHO9/4cmRouXJSZoad3qhCneqg31h2Wlq7waN2A==',
      httpTokenSha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    },
  };
  it('accepts hashed credentials', () => expect(Gateway.parse(gateway).heartbeatTimeoutMs).toBe(60_000));
  it.each([
    ['a plaintext MQTT password', { mqttPasswordHash: 'secret' }, /mqttPasswordHash/],
    [
      'an uppercase token digest',
      { httpTokenSha256: 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD' },
      /httpTokenSha256/,
    ],
  ])('rejects %s', (_n, creds, message) => {
    expect(
      problems(Gateway.safeParse({ ...gateway, credentials: { ...gateway.credentials, ...creds } })),
    ).toContainEqual(expect.stringMatching(message));
  });
});

describe('EscalationPolicy and WebhookSubscription', () => {
  const policy = {
    id: 'policy-a-l1',
    classification: ['A'],
    levels: [1],
    steps: [{ afterMs: 0, notify: 'county' }],
  };
  it('accepts a policy', () => expect(EscalationPolicy.parse(policy).steps[0]?.unless).toBe('acknowledged'));
  it.each([
    [{ steps: [] }, /^steps: /],
    [{ classification: ['E'] }, /^classification.0: /],
    [{ levels: [0] }, /^levels.0: /],
    [{ steps: [{ afterMs: 0, notify: 'ministry' }] }, /^steps.0.notify: /],
  ])('rejects policy %j', (over, message) => {
    expect(problems(EscalationPolicy.safeParse({ ...policy, ...over }))).toContainEqual(
      expect.stringMatching(message),
    );
  });

  const sub = {
    id: 'sub-1',
    name: '太原市',
    scope: { level: 'city', code: '140100' },
    url: 'http://127.0.0.1:9811/hooks/taiyuan',
    secret: '0123456789abcdef',
  };
  it('accepts a subscription with all events by default', () => {
    expect(WebhookSubscription.parse(sub).events).toHaveLength(7);
  });
  it.each([
    [{ url: 'ftp://x/y' }, /^url: /],
    [{ secret: 'short' }, /^secret: /],
    [{ scope: { level: 'street', code: '140100' } }, /^scope.level: /],
    [{ events: ['alarm.exploded'] }, /^events.0: /],
  ])('rejects subscription %j', (over, message) => {
    expect(problems(WebhookSubscription.safeParse({ ...sub, ...over }))).toContainEqual(
      expect.stringMatching(message),
    );
  });
});

describe('RegistryDocument and RegistryRecord', () => {
  it('accepts any mix of sections, each defaulting to empty', () => {
    expect(RegistryDocument.parse({ points: [point] })).toMatchObject({
      enterprises: [],
      points: [{ code: 'TT-DC01' }],
    });
  });
  it('names the entity index in issue paths', () => {
    expect(
      problems(RegistryDocument.safeParse({ points: [point, { ...point, kind: 'nope' }] })),
    ).toContainEqual(expect.stringMatching(/^points.1.kind: /));
  });
  it('validates record envelopes', () => {
    const rec = {
      kind: 'point',
      id: '140105MD01:TT-DC01',
      version: 1,
      changedBy: 'cli:ops',
      changedAt: 1,
      data: point,
    };
    expect(RegistryRecord.safeParse(rec).success).toBe(true);
    expect(problems(RegistryRecord.safeParse({ ...rec, version: 0 }))).toContainEqual(
      expect.stringMatching(/^version: /),
    );
    expect(problems(RegistryRecord.safeParse({ ...rec, kind: 'widget' }))).toContainEqual(
      expect.stringMatching(/^kind: /),
    );
  });
});
