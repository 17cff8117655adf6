import { hashMqttPassword, sha256Hex } from '@yujing/registry';
import { type ReadingBatch, RegistryDocument } from '@yujing/schemas';

export const E_A = '140105TY001'; // Taiyuan (city A, 140100)
export const E_B = '140213DT001'; // Datong (city B, 140200)

/**
 * One steel enterprise in Taiyuan and one in Datong, each with a CO detector `CO-1` (h 24 ppm →
 * level 3, hh 160 ppm → level 1, rule `co-limits`). A 1 h gateway timeout and a 10 min sampling
 * period keep offline and no-data alarms out of a short test.
 */
export function twoCityRegistry(): RegistryDocument {
  const credentials = { mqttPasswordHash: hashMqttPassword('loop-test'), httpTokenSha256: sha256Hex('t') };
  const sites = [
    { id: E_A, name: '太原闭环测试钢铁', region: { province: '140000', city: '140100', county: '140105' } },
    { id: E_B, name: '大同闭环测试钢铁', region: { province: '140000', city: '140200', county: '140213' } },
  ];
  return RegistryDocument.parse({
    enterprises: sites.map((s) => ({
      ...s,
      industries: ['steel'],
      classification: { scheme: 'shanxi-yjgm-2024', code: 'B', rank: 2 },
      connectionRequiredBy: '2025-12-31',
    })),
    gateways: sites.map((s) => ({
      enterpriseId: s.id,
      id: 'gw-01',
      heartbeatTimeoutMs: 3_600_000,
      credentials,
    })),
    points: sites.map((s) => ({
      enterpriseId: s.id,
      code: 'CO-1',
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
        rules: [{ id: 'co-limits', enabled: true, type: 'threshold', levels: { hh: 1, h: 3 } }],
      },
    ],
  });
}

/** One CO-1 reading of an enterprise as one batch on yj.readings.v1. */
export const coBatch = (enterpriseId: string, seq: number, ts: number, v: number): ReadingBatch => ({
  v: 1,
  enterpriseId,
  gatewayId: 'gw-01',
  seq,
  source: 'simulator',
  sentAt: ts,
  receivedAt: Date.now(),
  readings: [{ point: 'CO-1', kind: 'co-concentration', ts, v, q: 'good' }],
});
