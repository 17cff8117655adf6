import { describe, expect, it } from 'vitest';
import {
  GatewayEvent,
  GatewayStatusPayload,
  issuesToRecords,
  ReadingBatch,
  TelemetryMessageV1,
} from '../src/index';

const message = (over: Record<string, unknown> = {}) => ({
  v: 1,
  gatewayId: 'gw-01',
  seq: 18234,
  sentAt: '2026-11-28T10:00:00.120+08:00',
  readings: [
    { point: 'CO-BF1-003', ts: '2026-11-28T10:00:00+08:00', v: 23.5, q: 'good' },
    { point: 'FAN-01-RUN', ts: 1764295200000, v: 1 },
  ],
  ...over,
});
const paths = (r: { success: boolean; error?: { issues: unknown[] } }) =>
  r.success ? [] : issuesToRecords(r.error!.issues as never).map((i) => i.path);

describe('TelemetryMessageV1', () => {
  it('accepts the DESIGN §3 example and defaults quality to good', () => {
    const r = TelemetryMessageV1.parse(message());
    expect(r.readings[1]?.q).toBe('good');
  });

  it.each([
    ['version 2', { v: 2 }, 'v'],
    ['seq as a string', { seq: '1' }, 'seq'],
    ['negative seq', { seq: -1 }, 'seq'],
    ['missing gatewayId', { gatewayId: undefined }, 'gatewayId'],
    ['gatewayId with a colon', { gatewayId: 'gw:1' }, 'gatewayId'],
    ['sentAt without offset', { sentAt: '2026-11-28T10:00:00' }, 'sentAt'],
    ['no readings', { readings: [] }, 'readings'],
    ['reading value as string', { readings: [{ point: 'A', ts: 1, v: '1' }] }, 'readings.0.v'],
    ['unknown quality', { readings: [{ point: 'A', ts: 1, v: 1, q: 'meh' }] }, 'readings.0.q'],
    ['missing reading ts', { readings: [{ point: 'A', v: 1 }] }, 'readings.0.ts'],
  ])('rejects %s at %s', (_name, over, path) => {
    expect(paths(TelemetryMessageV1.safeParse(message(over)))).toContain(path);
  });

  it('rejects more than 5,000 readings', () => {
    const readings = Array.from({ length: 5001 }, (_, i) => ({ point: 'A', ts: i, v: 0 }));
    expect(paths(TelemetryMessageV1.safeParse(message({ readings })))).toContain('readings');
  });
});

describe('ReadingBatch', () => {
  const batch = {
    v: 1,
    enterpriseId: '140105MD01',
    gatewayId: 'gw-01',
    seq: 1,
    source: 'mqtt',
    sentAt: 1,
    receivedAt: 2,
    readings: [{ point: 'TT-1', kind: 'hopper-temperature', ts: 1, v: 40, q: 'good' }],
  };
  it('accepts a normalised batch', () => expect(ReadingBatch.safeParse(batch).success).toBe(true));
  it.each([
    [
      'ISO timestamps (must be epoch ms)',
      { readings: [{ ...batch.readings[0], ts: '2026-11-28T10:00:00Z' }] },
      'readings.0.ts',
    ],
    ['unknown source', { source: 'ftp' }, 'source'],
    ['missing kind', { readings: [{ point: 'TT-1', ts: 1, v: 1, q: 'good' }] }, 'readings.0.kind'],
  ])('rejects %s', (_n, over, path) => {
    expect(paths(ReadingBatch.safeParse({ ...batch, ...over }))).toContain(path);
  });
});

describe('gateway status and events', () => {
  it.each(['online', 'offline', { status: 'online', at: 1 }])('accepts status %j', (s) => {
    expect(GatewayStatusPayload.safeParse(s).success).toBe(true);
  });
  it.each(['up', { status: 'maybe' }, 1])('rejects status %j', (s) => {
    expect(GatewayStatusPayload.safeParse(s).success).toBe(false);
  });
  it('validates gateway events', () => {
    const e = {
      enterpriseId: '140105MD01',
      gatewayId: 'gw-01',
      type: 'seq-gap',
      reason: 'sequence',
      at: 1,
      detail: { expectedSeq: 3, gotSeq: 7 },
    };
    expect(GatewayEvent.safeParse(e).success).toBe(true);
    expect(GatewayEvent.safeParse({ ...e, type: 'exploded' }).success).toBe(false);
  });
});
