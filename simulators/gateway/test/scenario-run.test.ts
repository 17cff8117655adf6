import type { AlarmTransitionEvent } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { buildFleetModel } from '../src/fleet-model';
import { boundExpectations, forbiddenRaises, unmetExpectations } from '../src/scenario-expectations';
import { parseScenario } from '../src/scenario-loader';
import { ScenarioRun } from '../src/scenario-run';
import { resolveScenario } from '../src/scenario-targets';
import { fixtureDoc, STEEL } from './fleet-fixture';

const fleet = buildFleetModel(fixtureDoc);
const T0 = 1_800_000_000_000;
const scenario = parseScenario(
  `
id: s
title: t
enterprise: { industry: steel }
targets:
  co: { select: point, kind: co-concentration, code: CO-TP-001 }
  room: { select: group, kind: co-concentration, size: 3 }
  gw: { select: gateway, of: co }
steps:
  - { at: 0s, target: co, do: ramp, to: 100, over: 10s, hold: 5s, back: 10s }
  - { at: 30s, target: co, do: freeze, for: 10s }
  - { at: 0s, target: room, members: [1], do: quality, q: bad, for: 5s }
  - { at: 50s, target: gw, do: offline, for: 10s }
  - { at: 70s, target: gw, do: malformed, variants: [schema] }
expect:
  alarms:
    - { target: co, kind: threshold, rule: co-limits, level: 1 }
    - { target: room, kind: vote }
  absent: [{ target: gw, rule: no-data }]
`,
  '/s/s.yaml',
);
const resolved = resolveScenario(scenario, fleet);
const co = `${STEEL}:CO-TP-001`;

describe('ScenarioRun', () => {
  it('ramps from the value at the start, holds, then returns to the live baseline', () => {
    const run = new ScenarioRun(resolved, T0);
    expect(run.pointEffect(co, T0 - 1, 3)).toBeUndefined();
    expect(run.pointEffect(co, T0, 4)).toEqual({ v: 4 });
    expect(run.pointEffect(co, T0 + 5000, 3)).toEqual({ v: 52 });
    expect(run.pointEffect(co, T0 + 12_000, 3)).toEqual({ v: 100 });
    expect(run.pointEffect(co, T0 + 20_000, 2)).toEqual({ v: 51 });
    expect(run.pointEffect(co, T0 + 25_000, 2)).toBeUndefined();
  });

  it('freezes on the first value it sees', () => {
    const run = new ScenarioRun(resolved, T0);
    expect(run.pointEffect(co, T0 + 30_000, 7.5)?.v).toBe(7.5);
    expect(run.pointEffect(co, T0 + 35_000, 9)?.v).toBe(7.5);
  });

  it('applies group steps to the chosen members only', () => {
    const run = new ScenarioRun(resolved, T0);
    expect(run.pointEffect(`${STEEL}:CO-R1-002`, T0 + 1000, 3)).toEqual({ q: 'bad' });
    expect(run.pointEffect(`${STEEL}:CO-R1-003`, T0 + 1000, 3)).toBeUndefined();
  });

  it('reports the gateway mode and hands out each one-shot once', () => {
    const run = new ScenarioRun(resolved, T0);
    const gw = `${STEEL}:gw-01`;
    expect(run.gatewayMode(gw, T0 + 49_999)).toBe('normal');
    expect(run.gatewayMode(gw, T0 + 50_000)).toBe('offline');
    expect(run.gatewayMode(gw, T0 + 60_000)).toBe('normal');
    expect(run.takeOneShots(T0 + 69_000, gw)).toEqual([]);
    expect(run.takeOneShots(T0 + 70_000, `${STEEL}:gw-other`)).toEqual([]);
    expect(run.takeOneShots(T0 + 70_000, gw)).toEqual([
      { type: 'malformed', enterpriseId: STEEL, gatewayId: 'gw-01', variants: ['schema'] },
    ]);
    expect(run.takeOneShots(T0 + 80_000, gw)).toEqual([]);
    expect(run.finished(T0 + 69_999)).toBe(false);
    expect(run.finished(T0 + 70_000)).toBe(true);
  });
});

describe('scenario expectations', () => {
  const event = (over: Partial<AlarmTransitionEvent>): AlarmTransitionEvent => ({
    alarmId: 'a',
    enterpriseId: STEEL,
    point: 'CO-TP-001',
    rule: 'co-limits',
    kind: 'threshold',
    level: 3,
    state: 'active-unack',
    loop: 'open',
    transition: 'raise',
    value: 30,
    limit: 24,
    eventTime: T0,
    emittedAt: T0,
    episodeStart: T0,
    seq: 0,
    ...over,
  });
  const expected = boundExpectations(resolved);

  it('binds targets to alarm point ids', () => {
    expect(expected.map((x) => x.point)).toEqual(['CO-TP-001', 'vote:room-1']);
  });

  it('needs the level reached while active, and a raise for the vote', () => {
    expect(unmetExpectations(expected, [event({})])).toHaveLength(2);
    const escalated = event({ transition: 'escalate', level: 1 });
    expect(unmetExpectations(expected, [event({}), escalated]).map((x) => x.point)).toEqual(['vote:room-1']);
    const cleared = event({ transition: 'clear', level: 1, state: 'normal' });
    expect(unmetExpectations(expected, [cleared])).toHaveLength(2);
    const vote = event({ point: 'vote:room-1', kind: 'vote', rule: 'co-vote', level: 1 });
    expect(unmetExpectations(expected, [escalated, vote])).toEqual([]);
    expect(unmetExpectations(expected, [escalated, { ...vote, enterpriseId: 'other' }])).toHaveLength(1);
  });

  it('flags raises on absent targets only', () => {
    const noData = event({ rule: 'no-data', kind: 'no-data', point: 'CO-R1-003' });
    expect(forbiddenRaises(resolved, [noData, event({})])).toEqual([noData]);
    expect(forbiddenRaises(resolved, [{ ...noData, transition: 'clear' }])).toEqual([]);
  });
});
