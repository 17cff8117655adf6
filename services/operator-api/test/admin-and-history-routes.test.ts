import { RegistryDocument } from '@yujing/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, DATONG, E_DT, E_TY, harness, NOW, TAIYUAN, token } from './route-harness';

type H = Awaited<ReturnType<typeof harness>>;
let h: H | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});
const admin = () => token('admin', { level: 'province', code: '140000' }, { sub: 'admin-1' });
const cityTy = () => token('regulator', { level: 'city', code: TAIYUAN.city });

describe('enterprises, status and readings', () => {
  it('lists only enterprises in scope', async () => {
    h = await harness();
    const res = await h.app.inject({ url: '/api/v1/enterprises', headers: bearer(await cityTy()) });
    expect(res.json().items.map((e: { id: string }) => e.id)).toEqual([E_TY]);
  });

  it('reports gateway and point online status', async () => {
    h = await harness();
    h.history.status.push({ ts: NOW - 5000, enterpriseId: E_TY, gatewayId: 'gw-01', online: true });
    h.history.lastSeen.push({ enterpriseId: E_TY, point: 'CO-BF1-003', lastTs: NOW - 5000 });
    const res = await h.app.inject({
      url: `/api/v1/enterprises/${E_TY}/status`,
      headers: bearer(await cityTy()),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().gateways).toEqual([{ gatewayId: 'gw-01', online: true, since: NOW - 5000 }]);
    expect(res.json().points[0]).toMatchObject({ code: 'CO-BF1-003', online: true });
    const other = await h.app.inject({
      url: `/api/v1/enterprises/${E_DT}/status`,
      headers: bearer(await cityTy()),
    });
    expect(other.statusCode).toBe(403);
  });

  it('returns down-sampled readings and validates the range', async () => {
    h = await harness();
    h.history.readingsRows.push({ ts: NOW - 60_000, avg: 20, min: 18, max: 22, count: 6 });
    const ok = await h.app.inject({
      url: `/api/v1/points/${E_TY}:CO-BF1-003/readings?from=${NOW - 3_600_000}&to=${NOW}&step=1m`,
      headers: bearer(await cityTy()),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ unit: 'ppm', buckets: [{ avg: 20, count: 6 }] });
    const bad = await h.app.inject({
      url: `/api/v1/points/${E_TY}:CO-BF1-003/readings?from=yesterday&to=${NOW}`,
      headers: bearer(await cityTy()),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toBe('querystring.from');
    const tooMany = await h.app.inject({
      url: `/api/v1/points/${E_TY}:CO-BF1-003/readings?from=0&to=${NOW}&step=1s`,
      headers: bearer(await cityTy()),
    });
    expect(tooMany.json().issues[0].path).toBe('querystring.step');
    const missing = await h.app.inject({
      url: `/api/v1/points/${E_TY}:NOPE/readings?from=0&to=${NOW}&step=1d`,
      headers: bearer(await cityTy()),
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('reports', () => {
  it('computes 接入率 and 在线率 per city and county in scope', async () => {
    h = await harness();
    // Taiyuan's gateway online for the whole last 12 h of a 24 h period; Datong never reported.
    h.history.status.push({ ts: NOW - 43_200_000, enterpriseId: E_TY, gatewayId: 'gw-01', online: true });
    const res = await h.app.inject({
      url: `/api/v1/reports/connectivity?to=${NOW}`,
      headers: bearer(await admin()),
    });
    expect(res.statusCode).toBe(200);
    const rows = res.json().rows as { level: string; code: string; accessRate: number; onlineRate: number }[];
    const row = (code: string) => rows.find((r) => r.code === code);
    expect(row('140000')).toMatchObject({ level: 'province', accessRate: 0.5, onlineRate: 0.25 });
    expect(row(TAIYUAN.city)).toMatchObject({ accessRate: 1, onlineRate: 0.5 });
    expect(row(DATONG.county)).toMatchObject({ accessRate: 0, onlineRate: 0 });
    const scoped = await h.app.inject({
      url: `/api/v1/reports/connectivity?to=${NOW}`,
      headers: bearer(await cityTy()),
    });
    expect((scoped.json().rows as { code: string }[]).map((r) => r.code)).toEqual([
      '140000',
      TAIYUAN.city,
      TAIYUAN.county,
    ]);
  });

  it('rejects a period over 31 days', async () => {
    h = await harness();
    const res = await h.app.inject({
      url: `/api/v1/reports/alarm-kpis?from=0&to=${NOW}`,
      headers: bearer(await admin()),
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('registry and webhook administration', () => {
  it('never returns secrets', async () => {
    h = await harness();
    const subs = await h.app.inject({ url: '/api/v1/admin/subscriptions', headers: bearer(await admin()) });
    expect(subs.json().items[0].secret).toBe('********');
    expect(subs.body).not.toContain('super-secret-webhook-key');
    const gws = await h.app.inject({ url: '/api/v1/admin/registry/gateway', headers: bearer(await admin()) });
    expect(gws.body).not.toMatch(/\$7\$/);
  });

  it('lists the rule templates held in the registry, not an empty list', async () => {
    h = await harness();
    h.store.loadDocument(
      RegistryDocument.parse({
        templates: [
          {
            id: 'ty.co-strict',
            extends: 'steel.co-detector',
            description: '太原 stricter CO limits',
            rules: [{ id: 'co-high', type: 'threshold', levels: { h: 2, hh: 1 } }],
          },
          { id: 'dust.hopper-local', rules: [] },
        ],
      }),
    );
    const res = await h.app.inject({
      url: '/api/v1/admin/registry/template',
      headers: bearer(await admin()),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ kind: 'template', version: h.store.version });
    // Registry templates by id; the built-in catalogue ships with the code and is not listed.
    expect(body.items.map((t: { id: string }) => t.id)).toEqual(['dust.hopper-local', 'ty.co-strict']);
    expect(body.items[1]).toMatchObject({
      extends: 'steel.co-detector',
      rules: [{ id: 'co-high', levels: { h: 2, hh: 1 } }],
    });
    const reg = await h.app.inject({
      url: '/api/v1/admin/registry/template',
      headers: bearer(await cityTy()),
    });
    expect(reg.json().items).toHaveLength(2);
    const ent = await token('enterprise', { level: 'enterprise', code: E_TY });
    const denied = await h.app.inject({ url: '/api/v1/admin/registry/template', headers: bearer(ent) });
    expect(denied.statusCode).toBe(403);
  });

  it('publishes a subscription update keeping the stored secret, and forbids non-admins', async () => {
    h = await harness();
    const body = {
      name: '太原市应急局',
      scope: { level: 'city', code: '140100' },
      url: 'https://example.org/v2',
    };
    const res = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/subscriptions/ty-city',
      headers: bearer(await admin()),
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      created: false,
      subscription: { url: 'https://example.org/v2', secret: '********' },
    });
    expect(h.writer.published[0]?.doc.subscriptions[0]?.secret).toBe('super-secret-webhook-key');
    expect(h.writer.published[0]?.changedBy).toBe('api:admin-1');
    const denied = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/subscriptions/ty-city',
      headers: bearer(await cityTy()),
      payload: body,
    });
    expect(denied.statusCode).toBe(403);
  });

  it('requires a secret to create a subscription and names the field', async () => {
    h = await harness();
    const res = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/subscriptions/new-one',
      headers: bearer(await admin()),
      payload: { name: 'x', scope: { level: 'city', code: '140100' }, url: 'https://example.org' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues[0].path).toBe('body.secret');
  });

  it('validates registry documents with zod paths and deletes through the writer', async () => {
    h = await harness();
    const bad = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/registry',
      headers: bearer(await admin()),
      payload: { enterprises: [{ id: 'x' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toContain('body.enterprises.0.name');
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/registry/point/${E_TY}:CO-BF1-003`,
      headers: bearer(await admin()),
    });
    expect(del.statusCode).toBe(204);
    expect(h.writer.deleted).toEqual([{ kind: 'point', id: `${E_TY}:CO-BF1-003` }]);
    const gone = await h.app.inject({
      method: 'DELETE',
      url: '/api/v1/admin/registry/point/140105TY001:NOPE',
      headers: bearer(await admin()),
    });
    expect(gone.statusCode).toBe(404);
  });
});

describe('dead-lettered deliveries', () => {
  it('lists and replays, 404 for unknown jobs and 409 for jobs not failed', async () => {
    h = await harness();
    h.deliveries.failed.push({
      jobId: 'j1',
      deliveryId: 'd1',
      subscriptionId: 'ty-city',
      alarmId: 'a',
      enterpriseId: E_TY,
      event: 'alarm.raised',
      attempts: 8,
      failedReason: 'HTTP 500',
      failedAt: NOW,
    });
    const list = await h.app.inject({
      url: '/api/v1/admin/deliveries/dead-lettered',
      headers: bearer(await admin()),
    });
    expect(list.json().items).toHaveLength(1);
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/deliveries/j1/replay',
      headers: bearer(await admin()),
    });
    expect(ok.json()).toEqual({ jobId: 'j1', status: 'replayed' });
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/deliveries/j1/replay',
      headers: bearer(await admin()),
    });
    expect(again.statusCode).toBe(409);
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/deliveries/zz/replay',
      headers: bearer(await admin()),
    });
    expect(unknown.statusCode).toBe(404);
    const op = await token('operator', { level: 'province', code: '140000' });
    expect(
      (await h.app.inject({ url: '/api/v1/admin/deliveries/dead-lettered', headers: bearer(op) })).statusCode,
    ).toBe(403);
  });
});

describe('rate limit', () => {
  it('answers 429 problem+json per token once its budget is spent', async () => {
    h = await harness({ rateLimitPerMin: 2 });
    const t = await cityTy();
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push((await h.app.inject({ url: '/api/v1/enterprises', headers: bearer(t) })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    const other = await admin();
    expect((await h.app.inject({ url: '/api/v1/enterprises', headers: bearer(other) })).statusCode).toBe(200);
  });
});
