import { hashMqttPassword, sha256Hex } from '@yujing/registry';
import { type ReadingBatch, RegistryDocument } from '@yujing/schemas';

export const E_RESTART = '140106CL001'; // 迎泽区, C-class: 600 settled alarms, none overdue
export const E_OVERDUE = '140105CL002'; // 小店区, B-class: a 核实 deadline of 4 s
export const VERIFY_WITHIN_MS = 4_000;
export const REGULATOR_SECRET = 'whsec_closed_loop_test_0123456789';
/** CO detectors of the restart enterprise: one settled alarm each makes 600 in one enterprise. */
export const RESTART_POINTS = 600;
export const restartPoint = (i: number) => `CO-${String(i).padStart(3, '0')}`;

const HOUR = 3_600_000;

/**
 * Two steel enterprises with CO detectors (h 24 ppm → level 3, rule `co-limits`): 600 in 迎泽,
 * `CO-1` in 小店; a 1 h
 * gateway timeout and a 10 min sampling period (no offline or no-data alarm in a short test), the
 * 小店区 regulator's webhook and one of another city that must never receive anything.
 */
export function closedLoopRegistry(webhookBase: string): RegistryDocument {
  const credentials = { mqttPasswordHash: hashMqttPassword('loop-test'), httpTokenSha256: sha256Hex('t') };
  const sites = [
    { id: E_RESTART, name: '迎泽闭环恢复测试钢铁', county: '140106', code: 'C', rank: 3 },
    { id: E_OVERDUE, name: '小店闭环超期测试钢铁', county: '140105', code: 'B', rank: 2 },
  ] as const;
  const sub = (id: string, level: string, code: string) => ({
    id,
    name: id,
    scope: { level, code },
    url: `${webhookBase}/hooks/${id}`,
    secret: REGULATOR_SECRET,
    ratePerSecond: 50,
  });
  return RegistryDocument.parse({
    enterprises: sites.map((s) => ({
      id: s.id,
      name: s.name,
      region: { province: '140000', city: '140100', county: s.county },
      industries: ['steel'],
      classification: { scheme: 'shanxi-yjgm-2024', code: s.code, rank: s.rank },
      connectionRequiredBy: '2025-12-31',
    })),
    gateways: sites.map((s) => ({ enterpriseId: s.id, id: 'gw-01', heartbeatTimeoutMs: HOUR, credentials })),
    points: [
      ...Array.from({ length: RESTART_POINTS }, (_, i) => ({
        enterpriseId: E_RESTART,
        code: restartPoint(i),
      })),
      { enterpriseId: E_OVERDUE, code: 'CO-1' },
      { enterpriseId: E_OVERDUE, code: 'CO-2' },
    ].map((p) => ({
      ...p,
      name: '1#高炉煤气区域CO',
      kind: 'co-concentration',
      unit: 'ppm',
      gatewayId: 'gw-01',
      range: { min: 0, max: 1000 },
      limits: { h: 24, hh: 160 },
      deadband: 4,
      samplingPeriodMs: 600_000,
      template: 'loop.co-detector',
    })),
    templates: [
      {
        id: 'loop.co-detector',
        rules: [{ id: 'co-limits', enabled: true, type: 'threshold', levels: { h: 3 } }],
      },
    ],
    policies: [
      {
        id: 'loop-c',
        classification: ['C'],
        levels: [1, 2, 3, 4],
        steps: [{ afterMs: 0, notify: 'enterprise' }],
        closedLoop: {
          verifyWithinMs: 24 * HOUR,
          disposeWithinMs: 48 * HOUR,
          feedbackWithinMs: 60 * HOUR,
          closeWithinMs: 72 * HOUR,
        },
      },
      {
        id: 'loop-b',
        classification: ['B'],
        levels: [1, 2, 3, 4],
        steps: [
          { afterMs: 0, notify: 'enterprise' },
          { afterMs: 0, notify: 'county' },
        ],
        closedLoop: {
          verifyWithinMs: VERIFY_WITHIN_MS,
          disposeWithinMs: HOUR,
          feedbackWithinMs: 2 * HOUR,
          closeWithinMs: 4 * HOUR,
        },
      },
    ],
    subscriptions: [sub('reg-xiaodian', 'county', '140105'), sub('reg-datong', 'city', '140200')],
  });
}

/** CO readings of an enterprise as one batch on yj.readings.v1. */
export const readingsBatch = (
  enterpriseId: string,
  seq: number,
  readings: readonly { ts: number; v: number; point?: string }[],
): ReadingBatch => ({
  v: 1,
  enterpriseId,
  gatewayId: 'gw-01',
  seq,
  source: 'simulator',
  sentAt: readings[0]!.ts,
  receivedAt: Date.now(),
  readings: readings.map((r) => ({
    point: r.point ?? 'CO-1',
    kind: 'co-concentration',
    ts: r.ts,
    v: r.v,
    q: 'good',
  })),
});
