import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, E_DT, E_TY, harness, NOW, token } from './route-harness';

/** GET /reports/rollout and its CSV through the app (in-memory history; the QuestDB side is in the integration test). */
describe('rollout report routes', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let headers: Record<string, string>;
  beforeAll(async () => {
    h = await harness();
    h.history.readingsSeen.push({ ts: NOW - 3_600_000, enterpriseId: E_TY, gatewayId: 'gw-01' });
    headers = bearer(await token('regulator', { level: 'city', code: '140100' }));
  });
  afterAll(async () => {
    await h.app.close();
  });

  it('answers JSON with derived deadlines, and only the caller’s region', async () => {
    const res = await h.app.inject({ url: `/api/v1/reports/rollout?to=${NOW}`, headers });
    expect(res.statusCode, res.payload).toBe(200);
    const body = res.json();
    expect(body.enterprises.map((e: { enterpriseId: string }) => e.enterpriseId)).toEqual([E_TY]);
    expect(body.enterprises[0]).toMatchObject({
      deadline: '2025-12-31',
      status: 'late',
      connectedAt: NOW - 3_600_000,
    });
    expect(res.payload).not.toContain(E_DT);
  });

  it('answers text/csv, not a JSON string', async () => {
    const res = await h.app.inject({ url: `/api/v1/reports/rollout.csv?to=${NOW}`, headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.payload.startsWith('\uFEFF企业编码,')).toBe(true);
    expect(res.payload).toContain(`${E_TY},太原测试钢铁,140105,2025-12-31`);
  });

  it('refuses a period beyond a year with the query path', async () => {
    const res = await h.app.inject({
      url: `/api/v1/reports/rollout?from=${NOW - 367 * 86_400_000}&to=${NOW}`,
      headers,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('querystring.from');
  });
});
