import { afterEach, describe, expect, it } from 'vitest';
import { alarmEvent, bearer, DATONG, E_DT, E_TY, harness, NOW, TAIYUAN, token } from './route-harness';

type H = Awaited<ReturnType<typeof harness>>;
let h: H | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});

const cityTy = () => token('regulator', { level: 'city', code: TAIYUAN.city });
const operator = () => token('operator', { level: 'province', code: '140000' });

describe('authentication', () => {
  it('answers 401 problem+json without a token', async () => {
    h = await harness();
    const res = await h.app.inject({ url: '/api/v1/alarms' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 401, code: 'YJ_ERR_AUTH_MISSING' });
  });

  it('rejects a token signed with another secret', async () => {
    h = await harness();
    const t = await token('operator', { level: 'province', code: '140000' }, { secret: 'x'.repeat(40) });
    const res = await h.app.inject({ url: '/api/v1/alarms', headers: bearer(t) });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('YJ_ERR_AUTH_INVALID');
  });

  it('rejects a regulator token scoped to an enterprise (claims checked)', async () => {
    h = await harness();
    const t = await token('regulator', { level: 'enterprise', code: E_TY });
    const res = await h.app.inject({ url: '/api/v1/alarms', headers: bearer(t) });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('scope.level');
  });
});

describe('GET /api/v1/alarms', () => {
  it('lists only alarms inside a city regulator’s scope', async () => {
    h = await harness();
    h.history.alarms.push(alarmEvent(E_TY), alarmEvent(E_DT));
    const res = await h.app.inject({ url: '/api/v1/alarms', headers: bearer(await cityTy()) });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((a: { enterpriseId: string }) => a.enterpriseId)).toEqual([E_TY]);
    expect(h.history.queries[0]?.enterpriseIds).toEqual([E_TY]);
  });

  it('passes state, level and kind filters to storage', async () => {
    h = await harness();
    h.history.alarms.push(alarmEvent(E_TY, { level: 2 }), alarmEvent(E_DT, { level: 1 }));
    const res = await h.app.inject({
      url: '/api/v1/alarms?state=active-unack,active-ack&level=1&kind=threshold',
      headers: bearer(await operator()),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((a: { enterpriseId: string }) => a.enterpriseId)).toEqual([E_DT]);
    expect(h.history.queries[0]).toMatchObject({
      states: ['active-unack', 'active-ack'],
      levels: [1],
      kinds: ['threshold'],
    });
  });

  it('names the field of a validation error', async () => {
    h = await harness();
    const res = await h.app.inject({ url: '/api/v1/alarms?level=7', headers: bearer(await operator()) });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('YJ_ERR_API_VALIDATION');
    expect(body.issues[0].path).toBe('querystring.level.0');
  });

  it('filters by region inside the scope and returns nothing for a region outside it', async () => {
    h = await harness();
    h.history.alarms.push(alarmEvent(E_TY), alarmEvent(E_DT));
    const res = await h.app.inject({
      url: `/api/v1/alarms?region=${DATONG.city}`,
      headers: bearer(await cityTy()),
    });
    expect(res.json().items).toEqual([]);
    const all = await h.app.inject({
      url: `/api/v1/alarms?region=${DATONG.county}`,
      headers: bearer(await operator()),
    });
    expect(all.json().items.map((a: { enterpriseId: string }) => a.enterpriseId)).toEqual([E_DT]);
  });
});

describe('GET /api/v1/alarms/:id', () => {
  it('returns the timeline with actors, deliveries and closed-loop deadlines', async () => {
    h = await harness();
    const raise = alarmEvent(E_TY);
    const ack = alarmEvent(E_TY, {
      transition: 'ack',
      state: 'active-ack',
      seq: 2,
      emittedAt: NOW - 300_000,
      actor: { id: 'op-1', role: 'operator' },
    });
    h.history.alarms.push(raise, ack);
    h.history.deliveries.push({
      deliveryId: 'd1',
      alarmId: raise.alarmId,
      enterpriseId: E_TY,
      subscriptionId: 'ty-city',
      event: 'alarm.raised',
      target: 'https://example.org',
      attempt: 1,
      status: 'delivered',
      httpStatus: 200,
      latencyMs: 12,
      at: NOW - 590_000,
    });
    const res = await h.app.inject({
      url: `/api/v1/alarms/${encodeURIComponent(raise.alarmId)}`,
      headers: bearer(await cityTy()),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.alarm.seq).toBe(2);
    expect(body.timeline.map((t: { transition: string }) => t.transition)).toEqual(['raise', 'ack']);
    expect(body.timeline[1].actor).toEqual({ id: 'op-1', role: 'operator' });
    expect(body.deliveries).toHaveLength(1);
    expect(body.deadlines.map((d: { step: string; overdue: boolean }) => [d.step, d.overdue])).toEqual([
      ['verify', false],
      ['dispose', false],
      ['feedback', false],
      ['close', false],
    ]);
  });

  it('answers 404 for an unknown alarm', async () => {
    h = await harness();
    const res = await h.app.inject({
      url: '/api/v1/alarms/140105TY001:X:y:1',
      headers: bearer(await operator()),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('YJ_ERR_API_NOT_FOUND');
  });

  it('answers 403 for an alarm outside the scope', async () => {
    h = await harness();
    const dt = alarmEvent(E_DT);
    h.history.alarms.push(dt);
    const res = await h.app.inject({
      url: `/api/v1/alarms/${encodeURIComponent(dt.alarmId)}`,
      headers: bearer(await cityTy()),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('YJ_ERR_AUTH_FORBIDDEN');
  });

  it('fails with 500 problem+json (not a crash) when storage is down', async () => {
    h = await harness();
    h.history.down = true;
    const res = await h.app.inject({ url: '/api/v1/alarms', headers: bearer(await operator()) });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('YJ_ERR_API_INTERNAL');
    const ready = await h.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
  });
});
