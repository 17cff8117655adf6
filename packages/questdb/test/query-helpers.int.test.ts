import type { AlarmTransitionEvent, DeliveryRecord, GatewayEvent, ReadingBatch } from '@yujing/schemas';
import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alarmEventRow,
  alarmTimeline,
  currentAlarms,
  deliveryHistory,
  deliveryRow,
  gatewayOnlineRatios,
  gatewayStatusRow,
  readingRows,
  readingSeries,
  walApplied,
} from '../src/index';
import { type QuestDbFixture, questDbFixture } from './questdb-fixture';

const T0 = Date.parse('2026-11-28T02:00:00.000Z');
const ENT = '140105000001';
const values = Array.from({ length: 12 }, (_, i) => ({ ts: T0 + i * 10_000, v: (i * 7) % 5 }));
const batch: ReadingBatch = {
  v: 1,
  enterpriseId: ENT,
  gatewayId: 'gw-01',
  seq: 1,
  source: 'simulator',
  sentAt: T0,
  receivedAt: T0,
  readings: [
    ...values.map((x) => ({ point: 'CO-1', kind: 'gas-co', ts: x.ts, v: x.v, q: 'good' as const })),
    { point: 'CO-2', kind: 'gas-co', ts: T0, v: 999, q: 'good' as const },
  ],
};
const alarm = (
  id: string,
  seq: number,
  state: AlarmTransitionEvent['state'],
  transition: AlarmTransitionEvent['transition'],
) =>
  ({
    alarmId: id,
    enterpriseId: ENT,
    point: 'CO-1',
    rule: 'co-hh',
    kind: 'threshold',
    level: 2,
    state,
    loop: 'open',
    transition,
    value: 60 + seq,
    limit: 50,
    eventTime: T0 + seq * 1000,
    emittedAt: T0 + seq * 1000 + 5,
    episodeStart: T0,
    seq,
  }) as AlarmTransitionEvent;
const alarms = [
  alarm('A', 0, 'active-unack', 'raise'),
  alarm('A', 1, 'active-ack', 'ack'),
  alarm('A', 2, 'normal', 'clear'),
  alarm('B', 0, 'active-unack', 'raise'),
];
const delivery = (attempt: number, status: DeliveryRecord['status'], httpStatus: number): DeliveryRecord => ({
  deliveryId: 'd-1',
  alarmId: 'B',
  enterpriseId: ENT,
  subscriptionId: 'city-taiyuan',
  event: 'alarm.raised',
  target: 'https://regulator.example',
  attempt,
  status,
  httpStatus,
  latencyMs: 12.5 * attempt,
  at: T0 + attempt * 60_000,
});
const deliveries = [delivery(1, 'failed', 500), delivery(2, 'delivered', 200)];
const FROM = T0;
const TO = T0 + 3_600_000;
const gw = (gatewayId: string, type: GatewayEvent['type'], at: number): GatewayEvent => ({
  enterpriseId: ENT,
  gatewayId,
  type,
  reason: type === 'seq-gap' ? 'sequence' : 'status-message',
  at,
});
const span = TO - FROM;
const gatewayEvents = [
  gw('gw-1', 'online', FROM - 3_600_000),
  gw('gw-1', 'offline', FROM + span * 0.25),
  gw('gw-1', 'online', FROM + span * 0.75),
  gw('gw-2', 'offline', FROM - 60_000),
  gw('gw-2', 'online', FROM + span * 0.8),
  gw('gw-3', 'seq-gap', FROM + 1_000),
];

describe('query helpers on a fixture written by the test', () => {
  let f: QuestDbFixture;
  beforeAll(async () => {
    f = await questDbFixture('qh');
    await f.writer.write(readingRows(f.tables, batch));
    await f.writer.write(alarms.map((a) => alarmEventRow(f.tables, a)));
    await f.writer.write(deliveries.map((d) => deliveryRow(f.tables, d)));
    await f.writer.write(gatewayEvents.map((g) => gatewayStatusRow(f.tables, g)));
    for (const t of Object.values(f.tables))
      await waitFor(() => walApplied(f.query, t), { message: `${t} applied` });
  });
  afterAll(async () => {
    await f?.cleanup();
  });

  it('down-samples a point over a range with min/max/avg/last per bucket', async () => {
    const series = await readingSeries(f.query, f.tables, {
      enterprise: ENT,
      point: 'CO-1',
      fromMs: T0,
      toMs: T0 + 120_000,
      step: '1m',
    });
    const expected = [0, 1].map((b) => {
      const xs = values.filter((x) => Math.floor((x.ts - T0) / 60_000) === b).map((x) => x.v);
      return {
        ts: T0 + b * 60_000,
        min: Math.min(...xs),
        max: Math.max(...xs),
        avg: xs.reduce((s, v) => s + v, 0) / xs.length,
        last: xs[xs.length - 1],
        count: xs.length,
      };
    });
    expect(series).toEqual(expected);
  });

  it('rejects a step that is not a plain duration before building SQL', async () => {
    await expect(
      readingSeries(f.query, f.tables, {
        enterprise: ENT,
        point: 'CO-1',
        fromMs: T0,
        toMs: T0 + 1,
        step: '1m; DROP TABLE x',
      }),
    ).rejects.toMatchObject({ code: 'YJ_ERR_QUESTDB_BAD_ARGUMENT' });
  });

  it('gives each alarm its latest state and filters after choosing the latest row', async () => {
    const all = await currentAlarms(f.query, f.tables);
    expect(Object.fromEntries(all.map((a) => [a.alarmId, a.state]))).toEqual({
      A: 'normal',
      B: 'active-unack',
    });
    const active = await currentAlarms(f.query, f.tables, { state: 'active-unack', enterprise: ENT });
    expect(active.map((a) => a.alarmId)).toEqual(['B']);
  });

  it("returns an alarm's timeline in order with its fields", async () => {
    const timeline = await alarmTimeline(f.query, f.tables, 'A');
    expect(timeline.map((e) => [e.seq, e.transition, e.state, e.emittedAt, e.limit])).toEqual(
      alarms
        .filter((a) => a.alarmId === 'A')
        .map((a) => [a.seq, a.transition, a.state, a.emittedAt, a.limit]),
    );
  });

  it('lists the delivery attempts of an alarm', async () => {
    const history = await deliveryHistory(f.query, f.tables, { alarmId: 'B' });
    expect(history.map((d) => [d.attempt, d.status, d.httpStatus, d.at])).toEqual(
      deliveries.map((d) => [d.attempt, d.status, d.httpStatus, d.at]),
    );
  });

  it('computes the time-weighted online ratio of each gateway over the period', async () => {
    const ratios = await gatewayOnlineRatios(f.query, f.tables, { fromMs: FROM, toMs: TO });
    expect(ratios.map((r) => [r.gatewayId, Number(r.ratio.toFixed(6))])).toEqual([
      ['gw-1', 0.5],
      ['gw-2', 0.2],
    ]);
  });
});
