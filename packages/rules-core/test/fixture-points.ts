import type { AlarmTransitionEvent, EffectivePoint, NormalisedReading, RuleSpec } from '@yujing/schemas';
import {
  compileEnterprise,
  createEnterpriseState,
  type EnterpriseState,
  evaluateBatch,
  type RulesContext,
  type RulesOptions,
} from '../src/index';

export const EID = '140105001';
export const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);

/** A CO detector like the fixtures: h 24 → level 3, hh 160 → level 1, deadband 4. */
export function coPoint(
  code = 'CO-1',
  rules?: RuleSpec[],
  extra: Partial<EffectivePoint> = {},
): EffectivePoint {
  return {
    enterpriseId: EID,
    code,
    kind: 'co-concentration',
    unit: 'ppm',
    gatewayId: 'gw-01',
    range: { min: 0, max: 1000 },
    limits: { h: 24, hh: 160 },
    deadband: 4,
    onDelayMs: 0,
    offDelayMs: 0,
    samplingPeriodMs: 10_000,
    interlock: false,
    rules: rules ?? [{ id: 'thr', enabled: true, type: 'threshold', levels: { h: 3, hh: 1 } }],
    ...extra,
  };
}

export function ctxOf(points: EffectivePoint[], options: Partial<RulesOptions> = {}): RulesContext {
  return compileEnterprise({
    enterpriseId: EID,
    points,
    gateways: [{ id: 'gw-01', heartbeatTimeoutMs: 60_000 }],
    options,
  });
}

export function reading(
  point: string,
  ts: number,
  v: number,
  q: NormalisedReading['q'] = 'good',
): NormalisedReading {
  return { point, kind: 'co-concentration', ts, v, q };
}

/** Feeds readings one batch each (receivedAt = ts) and returns every transition. */
export function feed(
  state: EnterpriseState,
  ctx: RulesContext,
  rs: NormalisedReading[],
): AlarmTransitionEvent[] {
  const out: AlarmTransitionEvent[] = [];
  for (const r of rs)
    out.push(
      ...evaluateBatch(state, { gatewayId: 'gw-01', receivedAt: r.ts, readings: [r] }, ctx, r.ts).transitions,
    );
  return out;
}

/** Readings of one point at 10 s steps from T0. */
export function series(point: string, values: number[], stepMs = 10_000, start = T0): NormalisedReading[] {
  return values.map((v, i) => reading(point, start + i * stepMs, v));
}

export const brief = (t: AlarmTransitionEvent) => `${t.transition}:${t.state}:L${t.level}`;

export function fresh(points: EffectivePoint[], options: Partial<RulesOptions> = {}) {
  return { state: createEnterpriseState(EID), ctx: ctxOf(points, options) };
}
