import { GatewayEvent, ReadingBatch } from '@yujing/schemas';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeJson, encodeJson } from '../src/json-codec';

const batch = {
  v: 1,
  enterpriseId: 'ent-steel-01',
  gatewayId: 'gw-01',
  seq: 7,
  source: 'mqtt',
  sentAt: 1764295200000,
  receivedAt: 1764295200100,
  readings: [
    { point: 'CO-BF1-003', kind: 'co-concentration', ts: 1764295200000, v: 23.5, q: 'good' },
    { point: 'FAN-01-RUN', kind: 'fan-running', ts: 1764295200000, v: 1, q: 'bad' },
  ],
};
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('decodeJson', () => {
  it('decodes a valid ReadingBatch without zod, to the value zod would give', () => {
    const safeParse = vi.spyOn(ReadingBatch, 'safeParse');
    const withExtra = {
      ...batch,
      note: 'stripped',
      readings: batch.readings.map((r) => ({ ...r, unit: 'ppm' })),
    };
    const decoded = decodeJson(ReadingBatch, bytes(withExtra));
    expect(safeParse).not.toHaveBeenCalled();
    safeParse.mockRestore();
    expect(decoded).toStrictEqual({ ok: true, value: ReadingBatch.parse(withExtra) });
  });

  it.each([
    ['a negative reading timestamp', { readings: [{ ...batch.readings[0], ts: -1 }] }, 'readings.0.ts'],
    ['an empty readings array', { readings: [] }, 'readings'],
    ['an unknown source', { source: 'ftp' }, 'source'],
    ['a fractional seq', { seq: 1.5 }, 'seq'],
  ])('rejects %s with zod’s own error and issue paths', (_what, over, path) => {
    const input = { ...batch, ...over };
    const decoded = decodeJson(ReadingBatch, bytes(input));
    const expected = ReadingBatch.safeParse(input);
    expect(decoded.ok).toBe(false);
    if (decoded.ok || expected.success) return;
    expect(decoded.reason).toBe('schema');
    expect(decoded.issues).toStrictEqual(expected.error.issues);
    expect(decoded.issues.map((i) => i.path.join('.'))).toContain(path);
    expect(decoded.error.message).toBe(expected.error.message);
  });

  it('reports invalid JSON before any schema', () => {
    const decoded = decodeJson(ReadingBatch, Buffer.from('{"v":1,'));
    expect(decoded).toMatchObject({ ok: false, reason: 'invalid-json', issues: [] });
  });

  it('treats a null value (tombstone) as JSON null for the schema to judge', () => {
    const decoded = decodeJson(ReadingBatch, null);
    expect(decoded).toMatchObject({ ok: false, reason: 'schema' });
  });

  it('decodes a non-ASCII enterprise id', () => {
    const input = { ...batch, enterpriseId: '晋钢-01' };
    expect(decodeJson(ReadingBatch, bytes(input))).toStrictEqual({
      ok: true,
      value: ReadingBatch.parse(input),
    });
  });

  it('uses zod alone for a schema without a fast parser', () => {
    const event = {
      enterpriseId: 'e',
      gatewayId: 'gw-01',
      type: 'online',
      reason: 'first-message',
      at: 1,
      x: 1,
    };
    const safeParse = vi.spyOn(GatewayEvent, 'safeParse');
    const decoded = decodeJson(GatewayEvent, encodeJson(event));
    expect(safeParse).toHaveBeenCalledTimes(1);
    safeParse.mockRestore();
    expect(decoded).toStrictEqual({ ok: true, value: GatewayEvent.parse(event) });
  });
});
