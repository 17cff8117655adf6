import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySchema, countRows, type IlpRow, questdbErrors, readingRows, walApplied } from '../src/index';
import { DDL_DIR, type QuestDbFixture, questDbFixture } from './questdb-fixture';

const T0 = Date.parse('2026-11-28T02:00:00.000Z');

describe('ILP/HTTP writes and PG-wire reads against the real QuestDB', () => {
  let f: QuestDbFixture;
  beforeAll(async () => {
    f = await questDbFixture('ilp');
  });
  afterAll(async () => {
    await f?.cleanup();
  });

  it('reads back over PG exactly the rows written over ILP', async () => {
    const rows = readingRows(f.tables, {
      v: 1,
      enterpriseId: '140105000001',
      gatewayId: 'gw-01',
      seq: 1,
      source: 'simulator',
      sentAt: T0,
      receivedAt: T0 + 250,
      readings: [
        { point: 'CO-BF1-003', kind: 'gas-co', ts: T0, v: 23.5, q: 'good' },
        { point: 'FAN-01-RUN', kind: 'fan-run', ts: T0 + 1000, v: 1, q: 'uncertain' },
      ],
    });
    await f.writer.write(rows);
    await waitFor(() => walApplied(f.query, f.tables.readings), { message: 'WAL applied' });
    const back = await f.query.query(
      `SELECT ts, enterprise, point, kind, value, quality, gateway, received_at FROM ${f.tables.readings} ORDER BY ts`,
    );
    expect(back).toEqual([
      {
        ts: T0,
        enterprise: '140105000001',
        point: 'CO-BF1-003',
        kind: 'gas-co',
        value: 23.5,
        quality: 'good',
        gateway: 'gw-01',
        received_at: T0 + 250,
      },
      {
        ts: T0 + 1000,
        enterprise: '140105000001',
        point: 'FAN-01-RUN',
        kind: 'fan-run',
        value: 1,
        quality: 'uncertain',
        gateway: 'gw-01',
        received_at: T0 + 250,
      },
    ]);
  });

  it('keeps one row when the same row is written twice (DEDUP UPSERT KEYS), last value wins', async () => {
    const row = (value: number): IlpRow => ({
      table: f.tables.readings,
      symbols: {
        enterprise: '140105000009',
        point: 'DUP-1',
        kind: 'gas-co',
        quality: 'good',
        gateway: 'gw-09',
      },
      columns: { value: { type: 'double', value } },
      tsMs: T0 + 5_000,
    });
    await f.writer.write([row(1)]);
    await f.writer.write([row(1)]);
    await f.writer.write([row(2)]);
    await waitFor(() => walApplied(f.query, f.tables.readings), { message: 'WAL applied' });
    const rows = await f.query.query<{ value: number }>(
      `SELECT value FROM ${f.tables.readings} WHERE point = $1`,
      ['DUP-1'],
    );
    expect(rows).toEqual([{ value: 2 }]);
  });

  it('carries escaped and non-ASCII text through ILP unchanged, in symbols and strings', async () => {
    const tricky = 'CO 1,a=b\\c "q"\n\r 一氧化碳 ° 😀';
    const row: IlpRow = {
      table: f.tables.alarm_events,
      symbols: { alarm_id: 'TXT-1', enterprise: '140105000011', point: tricky, rule: 'co-hh', state: null },
      columns: {
        level: { type: 'long', value: -2 },
        value: { type: 'double', value: -0.000001 },
        comment: { type: 'string', value: tricky },
        actor: { type: 'string', value: '' },
        event_time: { type: 'timestamp', ms: T0 - 1 },
        seq: { type: 'long', value: 2 ** 40 },
      },
      tsMs: T0 + 7_000,
    };
    await f.writer.write([row]);
    await waitFor(() => walApplied(f.query, f.tables.alarm_events), { message: 'WAL applied' });
    const back = await f.query.query(
      `SELECT point, comment, actor, state, level, value, event_time, seq, ts FROM ${f.tables.alarm_events} WHERE alarm_id = $1`,
      ['TXT-1'],
    );
    expect(back).toEqual([
      {
        point: tricky,
        comment: tricky,
        actor: '',
        state: null,
        level: -2,
        value: -0.000001,
        event_time: T0 - 1,
        seq: 2 ** 40,
        ts: T0 + 7_000,
      },
    ]);
  });

  it('reports a type mismatch as ROWS_REJECTED (not retryable) and writes nothing of that request', async () => {
    const bad: IlpRow = {
      table: f.tables.readings,
      symbols: { enterprise: '140105000010', point: 'BAD-1' },
      columns: { value: { type: 'string', value: 'not-a-double' } },
      tsMs: T0 + 9_000,
    };
    const good: IlpRow = {
      ...bad,
      symbols: { enterprise: '140105000010', point: 'GOOD-1' },
      columns: { value: { type: 'double', value: 1 } },
    };
    const err = await f.writer.write([good, bad]).catch((e: unknown) => e);
    expect(questdbErrors.YJ_ERR_QUESTDB_ROWS_REJECTED.is(err)).toBe(true);
    // The writer is still usable afterwards and the good row alone goes through.
    await f.writer.write([good]);
    await waitFor(() => walApplied(f.query, f.tables.readings), { message: 'WAL applied' });
    expect(await countRows(f.query, f.tables.readings, 'WHERE enterprise = $1', ['140105000010'])).toBe(1);
  });

  it('applySchema is idempotent and applies a changed TTL to the existing table', async () => {
    await applySchema(f.query, DDL_DIR, { tablePrefix: f.prefix, ttl: { readings: '10 DAYS' } });
    await waitFor(
      async () => {
        const [t] = await f.query.query<{ ttlValue: number; ttlUnit: string }>(
          'SELECT ttlValue, ttlUnit FROM tables() WHERE table_name = $1',
          [f.tables.readings],
        );
        return t?.ttlValue === 10 && t.ttlUnit === 'DAY';
      },
      { message: 'TTL 10 DAYS visible in tables()' },
    );
    const [t] = await f.query.query<{ dedup: boolean; walEnabled: boolean; partitionBy: string }>(
      'SELECT dedup, walEnabled, partitionBy FROM tables() WHERE table_name = $1',
      [f.tables.readings],
    );
    expect(t).toEqual({ dedup: true, walEnabled: true, partitionBy: 'DAY' });
  });
});
