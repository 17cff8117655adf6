import { builtInTemplate, POINT_KINDS } from '@yujing/schemas';
import { describe, expect, it } from 'vitest';
import { PointSignal } from '../src/point-signal';
import { COLLECTOR_CYCLE, cycleForKinds, cycleLengthMs, phaseAt } from '../src/process-cycle';
import { SeededRandom } from '../src/seeded-random';
import { nominalFor, signalProfile } from '../src/signal-profile';

/**
 * The fleet must be quiet without a scenario: two simulated hours of every point kind, through
 * its process cycle, never cross a default limit, never look frozen and never rise or fall as
 * fast as the kind's rate-of-change rules.
 */
const HOURS = 2;

describe.each(POINT_KINDS.map((d) => [d.kind, d] as const))('healthy %s', (kind, def) => {
  const profile = signalProfile(kind);
  const cycle = cycleForKinds([kind]);
  const signal = new PointSignal(
    profile,
    { range: def.range, limits: def.limits, deadband: def.deadband },
    new SeededRandom(kind),
  );
  const series: { ts: number; v: number }[] = [];
  for (let ts = 0; ts < HOURS * 3_600_000; ts += def.samplingPeriodMs) {
    series.push({ ts, v: signal.sample(ts, phaseAt(cycle, 0, ts)) });
  }
  const limits = def.limits as { hh?: number; h?: number; l?: number; ll?: number };

  it('stays inside the instrument range and every default limit', () => {
    for (const { v } of series) {
      expect(v).toBeGreaterThanOrEqual(def.range.min);
      expect(v).toBeLessThanOrEqual(def.range.max);
      if (limits.h !== undefined) expect(v).toBeLessThan(limits.h);
      if (limits.hh !== undefined) expect(v).toBeLessThan(limits.hh);
      if (limits.l !== undefined) expect(v).toBeGreaterThan(limits.l);
      if (limits.ll !== undefined) expect(v).toBeGreaterThan(limits.ll);
    }
  });

  it.runIf(def.signal === 'analog')('never repeats one value 30 times in a row (frozen check)', () => {
    let run = 1;
    let longest = 1;
    for (let i = 1; i < series.length; i++) {
      run = series[i]!.v === series[i - 1]!.v ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThan(30);
  });

  const rateRules = (builtInTemplate(def.template)?.rules ?? []).filter((r) => r.type === 'rate-of-change');
  it.runIf(rateRules.length > 0)('changes slower than its rate-of-change rules over their windows', () => {
    for (const rule of rateRules) {
      if (rule.type !== 'rate-of-change') continue;
      const steps = Math.max(1, Math.round(rule.windowMs / def.samplingPeriodMs));
      for (let i = steps; i < series.length; i++) {
        const perMin = ((series[i]!.v - series[i - steps]!.v) * 60_000) / rule.windowMs;
        if (rule.risePerMin !== undefined) expect(perMin).toBeLessThan(rule.risePerMin);
        if (rule.dropPerMin !== undefined) expect(-perMin).toBeLessThan(rule.dropPerMin);
      }
    }
  });

  it.runIf(rateRules.length > 0)(
    'stays below its rate rules even between consecutive samples (window after a gap)',
    () => {
      for (const rule of rateRules) {
        if (rule.type !== 'rate-of-change') continue;
        for (let i = 1; i < series.length; i++) {
          const perMin = ((series[i]!.v - series[i - 1]!.v) * 60_000) / def.samplingPeriodMs;
          if (rule.risePerMin !== undefined) expect(perMin).toBeLessThan(rule.risePerMin);
          if (rule.dropPerMin !== undefined) expect(-perMin).toBeLessThan(rule.dropPerMin);
        }
      }
    },
  );
});

describe('collector cycle', () => {
  it('never has the airlock stopped within 30 s of the fan running (no combination alarm)', () => {
    const fan = signalProfile('fan-running');
    const airlock = signalProfile('airlock-running');
    const length = cycleLengthMs(COLLECTOR_CYCLE);
    const fanOnAt: number[] = [];
    const airlockOffAt: number[] = [];
    for (let t = 0; t < 2 * length; t += 1000) {
      const phase = phaseAt(COLLECTOR_CYCLE, 0, t);
      if (nominalFor(fan, phase) === 1) fanOnAt.push(t);
      if (nominalFor(airlock, phase) === 0) airlockOffAt.push(t);
    }
    expect(fanOnAt.length).toBeGreaterThan(0);
    expect(airlockOffAt.length).toBeGreaterThan(0);
    for (const off of airlockOffAt) expect(fanOnAt.every((on) => Math.abs(on - off) > 30_000)).toBe(true);
  });

  it('walks the phases in order: running → purging → stopped → starting', () => {
    const seen = [0, 480_000, 540_000, 630_000, 690_000].map((t) => phaseAt(COLLECTOR_CYCLE, 0, t));
    expect(seen).toEqual(['running', 'purging', 'stopped', 'starting', 'running']);
  });
});
