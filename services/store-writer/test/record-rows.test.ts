import { tableNames } from '@yujing/questdb';
import { describe, expect, it } from 'vitest';
import { recordRows } from '../src/record-rows';

const tables = tableNames('p_');
const NOW = Date.parse('2026-11-28T02:00:00.000Z');
const batch = (ts: number[]) => ({
  v: 1,
  enterpriseId: '140105000001',
  gatewayId: 'gw-01',
  seq: 7,
  source: 'mqtt',
  sentAt: NOW,
  receivedAt: NOW + 10,
  readings: ts.map((t, i) => ({ point: `P-${i}`, kind: 'gas-co', ts: t, v: i, q: 'good' })),
});
const msg = (value: unknown) => ({
  offset: '42',
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
});

describe('recordRows', () => {
  it('maps a reading batch to one row per reading with kind, quality and gateway', () => {
    const out = recordRows('readings', tables, msg(batch([NOW, NOW + 1])), NOW, 60_000);
    expect(out.rejected).toEqual([]);
    expect(out.rows.map((r) => [r.row.table, r.row.symbols.point, r.row.symbols.kind, r.row.tsMs])).toEqual([
      ['p_readings', 'P-0', 'gas-co', NOW],
      ['p_readings', 'P-1', 'gas-co', NOW + 1],
    ]);
    // The dead-letter bytes of one row carry only that reading, with the batch context.
    expect(JSON.parse(out.rows[1]!.raw().toString()).readings).toEqual([batch([NOW, NOW + 1]).readings[1]]);
  });

  it('rejects readings too far in the future, keeping the others', () => {
    const out = recordRows('readings', tables, msg(batch([NOW, NOW + 120_000])), NOW, 60_000);
    expect(out.rows).toHaveLength(1);
    expect(out.rejected.map((r) => [r.reason, r.offset])).toEqual([['timestamp-out-of-range', '42']]);
  });

  it('dead-letters a reading too far ahead with only that reading and its batch context', () => {
    const out = recordRows('readings', tables, msg(batch([NOW, NOW + 120_000])), NOW, 60_000);
    const dead = JSON.parse(out.rejected[0]!.raw.toString());
    expect(dead).toEqual({
      ...batch([NOW, NOW + 120_000]),
      readings: [batch([NOW, NOW + 120_000]).readings[1]],
    });
  });

  it("gives a one-row record's row the record's own bytes to dead-letter", () => {
    const event = { enterpriseId: 'e', gatewayId: 'gw', type: 'offline', reason: 'last-will', at: NOW };
    const message = msg(event);
    const out = recordRows('gatewayEvents', tables, message, NOW, 60_000);
    expect(out.rows.map((r) => [r.offset, r.raw()])).toEqual([['42', message.value]]);
  });

  it.each([
    ['invalid JSON', '{nope', 'invalid-json'],
    ['a schema violation', { ...batch([NOW]), readings: [] }, 'schema'],
  ])('dead-letters %s with its reason', (_name, value, reason) => {
    const out = recordRows('readings', tables, msg(value), NOW, 60_000);
    expect(out.rows).toEqual([]);
    expect(out.rejected[0]?.reason).toBe(reason);
  });

  it('names the zod issue path of a schema violation', () => {
    const out = recordRows(
      'gatewayEvents',
      tables,
      msg({ enterpriseId: 'e', gatewayId: 'gw', type: 'bogus', reason: 'last-will', at: NOW }),
      NOW,
      60_000,
    );
    expect(out.rejected[0]?.issues.map((i) => i.path)).toEqual(['type']);
  });
});
