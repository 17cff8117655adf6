import { describe, expect, it } from 'vitest';
import { buildFleetModel } from '../src/fleet-model';
import { loadScenarioDir, parseScenario, ScenarioFileError } from '../src/scenario-loader';
import { scenarioLengthMs } from '../src/scenario-schema';
import { resolveScenario, ScenarioResolutionError } from '../src/scenario-targets';
import { CASTING, DUST, DUST_C, fixtureDoc, STEEL } from './fleet-fixture';

const fleet = buildFleetModel(fixtureDoc);

describe('shipped scenarios', () => {
  it('all validate, each declares what it must produce, and each stays under 4 minutes', async () => {
    const scenarios = await loadScenarioDir();
    expect(scenarios.map((s) => s.id)).toEqual([
      'co-leak-ramp',
      'co-vote-2oo3',
      'frozen-sensor',
      'gateway-offline',
      'hopper-spark-airlock',
      'late-backfill',
      'malformed-messages',
      'mould-water-loss',
    ]);
    for (const s of scenarios) {
      const e = s.expect;
      expect(e.alarms.length + e.absent.length + e.deadLetters, s.id).toBeGreaterThan(0);
      expect(scenarioLengthMs(s) + s.settle, s.id).toBeLessThanOrEqual(240_000);
    }
  });

  it('bind to the small fixture fleet where it has the targets', async () => {
    const byId = Object.fromEntries((await loadScenarioDir()).map((s) => [s.id, s]));
    expect(resolveScenario(byId['co-leak-ramp']!, fleet).enterpriseId).toBe(STEEL);
    expect(resolveScenario(byId['mould-water-loss']!, fleet).enterpriseId).toBe(CASTING);
    const hopper = resolveScenario(byId['hopper-spark-airlock']!, fleet);
    expect(hopper.enterpriseId).toBe(DUST); // DUST_C is class C: excluded by the selector
    const vote = resolveScenario(byId['co-vote-2oo3']!, fleet).targets.room!;
    expect(vote.type === 'group' && vote.members.map((m) => m.code)).toEqual([
      'CO-R1-001',
      'CO-R1-002',
      'CO-R1-003',
    ]);
  });
});

describe('parseScenario', () => {
  const valid = `
id: x
title: t
targets:
  co: { select: point, kind: co-concentration }
steps:
  - { at: 5s, target: co, do: ramp, to: 200, over: 1m }
expect:
  alarms: [{ target: co, kind: threshold, level: 1 }]
`;
  it('turns durations into milliseconds and fills defaults', () => {
    const s = parseScenario(valid, '/s/x.yaml');
    expect(s.steps[0]).toMatchObject({ at: 5000, over: 60_000, hold: 0 });
    expect(s.settle).toBe(30_000);
    expect(scenarioLengthMs(s)).toBe(5000 + 60_000 + 60_000);
  });

  it.each([
    [
      'an unknown step target',
      valid.replace('target: co, do', 'target: cx, do'),
      'steps.0.target: unknown target "cx"',
    ],
    ['a bad duration', valid.replace('over: 1m', 'over: soon'), 'steps.0.over: expected a duration'],
    ['an unknown point kind', valid.replace('kind: co-concentration', 'kind: co2'), 'targets.co.kind'],
    ['an unknown action', valid.replace('do: ramp', 'do: explode'), 'steps.0.do'],
    ['an id that is not the file name', valid, 'id: "x" must match the file name'],
  ])('names the field of %s', (_what, text, problem) => {
    const file = problem.startsWith('id:') ? '/s/other.yaml' : '/s/x.yaml';
    try {
      parseScenario(text, file);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(ScenarioFileError);
      expect((err as ScenarioFileError).problems.join('\n')).toContain(problem);
    }
  });
});

describe('resolveScenario', () => {
  const scenario = parseScenario(
    `
id: s
title: t
targets:
  hopper: { select: point, kind: hopper-temperature }
  airlock: { select: point, kind: airlock-running, sameEquipmentAs: hopper }
  gw: { select: gateway, of: hopper }
steps: [{ at: 0, target: gw, do: offline, for: 1s }]
expect: {}
`,
    '/s/s.yaml',
  );

  it('takes the first enterprise with every target and skips excluded ones', () => {
    const first = resolveScenario(scenario, fleet);
    expect(first.enterpriseId).toBe(DUST);
    expect(first.targets.airlock).toMatchObject({ type: 'point', point: { code: 'AL-R-01' } });
    expect(first.targets.gw).toMatchObject({
      type: 'gateway',
      gatewayId: 'gw-01',
      pointCodes: expect.arrayContaining(['HP-T-01']),
    });
    expect(resolveScenario(scenario, fleet, { exclude: new Set([DUST]) }).enterpriseId).toBe(DUST_C);
  });

  it('fails with the reason when no enterprise fits', () => {
    expect(() => resolveScenario(scenario, fleet, { exclude: new Set([DUST, DUST_C]) })).toThrow(
      ScenarioResolutionError,
    );
  });
});
