import { TelemetryMessageV1 } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { buildFleetModel } from '../src/fleet-model';
import { FleetSimulation } from '../src/fleet-simulation';
import { GatewaySimulation } from '../src/gateway-simulation';
import { malformedMessage } from '../src/malformed-message';
import { parseScenario } from '../src/scenario-loader';
import { ScenarioRun } from '../src/scenario-run';
import type { MalformedVariant } from '../src/scenario-schema';
import { resolveScenario } from '../src/scenario-targets';
import { isoCst } from '../src/wire-time';
import { CASTING, DUST, fixtureDoc, STEEL } from './fleet-fixture';

const fleet = buildFleetModel(fixtureDoc);
const T0 = 1_800_000_000_000;
const casting = fleet.gateways.find((g) => g.enterpriseId === CASTING)!;
const decode = (b: Buffer) => TelemetryMessageV1.parse(JSON.parse(b.toString('utf8')));

describe('GatewaySimulation', () => {
  it('sends every point once per sampling period, in valid v1 messages with consecutive seq', () => {
    const sim = new GatewaySimulation(casting, { seed: 1, startMs: T0, firstSeq: 500 });
    const messages = [];
    for (let t = T0; t < T0 + 10_000; t += 1000) messages.push(...sim.tick(t, []).messages);
    const decoded = messages.map((m) => decode(m.payload));
    expect(decoded.map((m) => m.seq)).toEqual(decoded.map((_, i) => 500 + i));
    const perPoint = new Map<string, number[]>();
    for (const m of decoded)
      for (const r of m.readings)
        perPoint.set(r.point, [...(perPoint.get(r.point) ?? []), Date.parse(String(r.ts))]);
    expect([...perPoint.keys()].sort()).toEqual(['LD-L-01', 'MW-F-01', 'MW-P-01']);
    for (const ts of perPoint.values()) {
      expect(ts.length).toBeGreaterThanOrEqual(9); // 1 s points over 10 s, each with its own phase offset
      expect(ts.slice(1).map((t, i) => t - ts[i]!)).toEqual(ts.slice(1).map(() => 1000));
      expect(ts[0]).toBeGreaterThanOrEqual(T0);
    }
    for (const m of decoded) {
      expect(m.sentAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
      for (const r of m.readings)
        expect(Date.parse(String(r.ts))).toBeLessThanOrEqual(Date.parse(String(m.sentAt)));
    }
    expect(isoCst(Date.UTC(2026, 10, 28, 2))).toBe('2026-11-28T10:00:00.000+08:00');
  });

  it('is reproducible from its seed', () => {
    const run = (seed: number) => {
      const sim = new GatewaySimulation(casting, { seed, startMs: T0, firstSeq: 0, tsFormat: 'epoch' });
      return sim.tick(T0 + 5000, []).messages.map((m) => m.payload.toString());
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('splits large ticks into messages of at most maxReadingsPerMessage', () => {
    const sim = new GatewaySimulation(casting, {
      seed: 1,
      startMs: T0,
      firstSeq: 0,
      maxReadingsPerMessage: 4,
    });
    const sizes = sim.tick(T0 + 4000, []).messages.map((m) => m.readings); // 4–5 samples × 3 points
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(12);
    expect(sizes.slice(0, -1).every((n) => n === 4)).toBe(true);
    expect(sizes.at(-1)).toBeLessThanOrEqual(4);
  });
});

describe('gateway scenarios', () => {
  const scenario = parseScenario(
    `
id: g
title: t
enterprise: { industry: aluminium-casting }
targets:
  water: { select: point, kind: mould-water-pressure }
  gw: { select: gateway, of: water }
steps:
  - { at: 2s, target: gw, do: hold-back, for: 3s }
  - { at: 10s, target: gw, do: offline, for: 5s }
  - { at: 20s, target: gw, do: backfill, ago: 1h, span: 10s }
  - { at: 21s, target: gw, do: malformed, variants: [schema, unknown-point] }
expect: {}
`,
    '/s/g.yaml',
  );

  function play(untilMs: number) {
    const run = new ScenarioRun(resolveScenario(scenario, fleet), T0);
    const sim = new GatewaySimulation(casting, { seed: 1, startMs: T0, firstSeq: 0 });
    const ticks = [];
    for (let t = T0; t <= T0 + untilMs; t += 1000) ticks.push({ t: t - T0, ...sim.tick(t, [run]) });
    return ticks;
  }

  it('holds messages back and then sends the late readings in one burst with their own timestamps', () => {
    const ticks = play(6000);
    expect(ticks.filter((k) => k.t >= 2000 && k.t < 5000).every((k) => k.messages.length === 0)).toBe(true);
    const burst = ticks.find((k) => k.t === 5000)!.messages.map((m) => decode(m.payload));
    const held = burst.flatMap((m) => m.readings);
    expect(held.length).toBeGreaterThanOrEqual(3 * 3); // three held seconds of three 1 s points, plus this tick's
    const times = held.map((r) => Date.parse(String(r.ts)));
    expect(Math.min(...times)).toBeLessThan(T0 + 3000); // sampled during the hold, sent late
    expect(times.every((t) => t <= T0 + 5000)).toBe(true);
  });

  it('drops the connection, stays silent, and comes back', () => {
    const ticks = play(16_000);
    expect(ticks.find((k) => k.t === 10_000)!.connectivity).toBe('lost');
    expect(ticks.filter((k) => k.t >= 10_000 && k.t < 15_000).every((k) => k.messages.length === 0)).toBe(
      true,
    );
    expect(ticks.find((k) => k.t === 15_000)).toMatchObject({
      connectivity: 'restored',
      messages: [expect.anything()],
    });
  });

  it('back-fills healthy history for the requested window once', () => {
    const ticks = play(25_000);
    const withBackfill = ticks.filter((k) => k.backfilled);
    expect(withBackfill).toHaveLength(1);
    expect(withBackfill[0]!.backfilled).toEqual({
      fromMs: T0 + 20_000 - 3_600_000,
      toMs: T0 + 30_000 - 3_600_000,
      readings: 30,
    });
  });

  it('sends each malformed variant once, each with a seq of its own', () => {
    const bad = play(25_000).flatMap((k) => k.malformed);
    expect(bad.map((b) => b.variant)).toEqual(['schema', 'unknown-point']);
  });
});

describe('malformedMessage', () => {
  const ctx = { gatewayId: 'gw-01', seq: 9, nowMs: T0, point: 'MW-P-01' };
  const check = (v: MalformedVariant) => {
    const bytes = malformedMessage(v, ctx);
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      return { json: false, schema: false, bytes: bytes.length };
    }
    return { json: true, schema: TelemetryMessageV1.safeParse(json).success, bytes: bytes.length };
  };
  it.each([
    ['invalid-json', false, false],
    ['schema', true, false],
    ['non-finite', true, false],
    ['too-many-readings', true, false],
    ['unknown-point', true, true], // schema-valid: only the registry knows the point does not exist
    ['stale-timestamp', true, true], // schema-valid: the age limit is an ingest rule
    ['future-timestamp', true, true],
  ] as const)('%s has exactly its defect', (variant, json, schema) => {
    expect(check(variant)).toMatchObject({ json, schema });
  });
  it('oversize is over 1 MiB', () => {
    expect(check('oversize').bytes).toBeGreaterThan(1024 * 1024);
  });
});

describe('FleetSimulation', () => {
  const s = (id: string, industry: string) =>
    parseScenario(
      `
id: ${id}
title: t
enterprise: { industry: ${industry} }
targets: { p: { select: point, kind: hopper-temperature } }
steps: [{ at: 0s, target: p, do: freeze, for: 10s }]
expect: {}
`,
      `/s/${id}.yaml`,
    );

  it('rotates scenarios and never gives two running scenarios the same enterprise', () => {
    const sim = new FleetSimulation(fleet, {
      seed: 1,
      startMs: T0,
      rotation: { scenarios: [s('a', 'metal-dust'), s('b', 'metal-dust')], everyMs: 5000 },
    });
    const started = [];
    for (let t = T0; t <= T0 + 10_000; t += 1000) started.push(...sim.tick(t).started);
    expect(started.map((r) => [r.id, r.resolved.enterpriseId])).toEqual([
      ['a', DUST],
      ['b', '140702D02'],
    ]);
    expect(fleet.gateways.map((g) => g.enterpriseId)).toContain(STEEL);
  });

  it('hands one-shots (malformed, back-fill) to their own gateway in a fleet of several', () => {
    const bad = parseScenario(
      `
id: m
title: t
enterprise: { industry: metal-dust, classification: [B] }
targets: { p: { select: point, kind: hopper-temperature }, gw: { select: gateway, of: p } }
steps: [{ at: 1s, target: gw, do: malformed, variants: [schema] }, { at: 1s, target: gw, do: backfill, ago: 1h, span: 10s }]
expect: {}
`,
      '/s/m.yaml',
    );
    const sim = new FleetSimulation(fleet, { seed: 1, startMs: T0 });
    sim.schedule(bad, T0);
    const ticks = [0, 1000, 2000].flatMap((dt) => sim.tick(T0 + dt).gateways);
    expect(ticks.filter((g) => g.malformed.length > 0).map((g) => g.enterpriseId)).toEqual([DUST]);
    expect(ticks.filter((g) => g.backfilled).map((g) => g.enterpriseId)).toEqual([DUST]);
  });

  it('reports a scenario it cannot place instead of failing the tick', () => {
    const sim = new FleetSimulation(fleet, {
      seed: 1,
      startMs: T0,
      rotation: { scenarios: [s('c', 'metal-dust')], everyMs: 1000 },
    });
    const ticks = [];
    for (let t = T0; t <= T0 + 3000; t += 1000) ticks.push(sim.tick(t));
    expect(ticks.flatMap((k) => k.skipped.map((x) => x.scenarioId))).toEqual(['c']);
  });
});
