import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealStackApi, startRealStackApi } from './real-stack-api';
import { bearer, E_DT, E_TY, token } from './route-harness';

/**
 * The rollout report on the real QuestDB (own table prefix): readings rows stored around the
 * 2025-12-31 deadline of the fixture's two steel enterprises, asked for before and after the end of
 * that day (Asia/Shanghai).
 */
const cst = (local: string) => Date.parse(`${local}+08:00`);
type Rollout = {
  enterprises: {
    enterpriseId: string;
    status: string;
    connectedAt: number | null;
    onlineRate: number | null;
  }[];
  months: { month: string; required: number; connected: number; accessRate: number | null }[];
  attention: string[];
};

describe('rollout report on QuestDB: the connection deadline cut-off', () => {
  let s: RealStackApi;
  let headers: Record<string, string>;
  const report = async (to: number): Promise<Rollout> => {
    const res = await fetch(`${s.base}/api/v1/reports/rollout?from=${to - 40 * 86_400_000}&to=${to}`, {
      headers,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Rollout;
  };

  beforeAll(async () => {
    s = await startRealStackApi('rollout');
    headers = bearer(await token('regulator', { level: 'province', code: '140000' }));
    const row = (enterprise: string, local: string) => {
      const ts = new Date(cst(local)).toISOString();
      return `('${ts}', '${enterprise}', 'CO-BF1-003', 'co-concentration', 10.0, 'good', 'gw-01', '${ts}')`;
    };
    // E_TY first reports an hour before its deadline ends, E_DT half an hour after.
    await s.questdb.query(
      `INSERT INTO ${s.qdbPrefix.prefix}readings (ts, enterprise, point, kind, value, quality, gateway, received_at) VALUES ${[
        row(E_TY, '2025-12-31T23:00:00'),
        row(E_TY, '2026-01-01T00:10:00'),
        row(E_DT, '2026-01-01T00:30:00'),
      ].join(', ')}`,
    );
    await waitFor(
      async () => (await report(cst('2026-01-01T02:00:00'))).enterprises.every((e) => e.connectedAt !== null),
      { timeoutMs: 30_000, message: 'QuestDB never applied the readings rows' },
    );
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('before the end of the deadline day nothing is required yet', async () => {
    const r = await report(cst('2025-12-31T23:30:00'));
    expect(Object.fromEntries(r.enterprises.map((e) => [e.enterpriseId, e.status]))).toEqual({
      [E_TY]: 'connected-early',
      [E_DT]: 'not-yet-due',
    });
    expect(r.months.at(-1)).toMatchObject({ month: '2025-12', required: 0, accessRate: null });
  });

  it('right after it, the on-time one counts and the other is overdue, then late once it reports', async () => {
    const r = await report(cst('2026-01-01T00:20:00'));
    expect(Object.fromEntries(r.enterprises.map((e) => [e.enterpriseId, e.status]))).toEqual({
      [E_TY]: 'on-time',
      [E_DT]: 'overdue',
    });
    expect(r.months.at(-1)).toMatchObject({ month: '2026-01', required: 2, connected: 1, accessRate: 0.5 });
    expect(r.attention).toContain(E_DT);
    const later = await report(cst('2026-01-01T02:00:00'));
    expect(later.enterprises.find((e) => e.enterpriseId === E_DT)?.status).toBe('late');
    expect(later.months.at(-1)).toMatchObject({ required: 2, connected: 2, accessRate: 1 });
    // 在线率 from data silence: E_TY sent in 2 of the 960 hourly buckets of the 40-day period.
    expect(later.enterprises.find((e) => e.enterpriseId === E_TY)?.onlineRate).toBeCloseTo(2 / 960, 6);
  });
});
