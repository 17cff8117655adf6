import { PassThrough } from 'node:stream';
import { createLogger } from '@yujing/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../src/http/redact-url';
import { bearer, E_TY, harness, SECRET, TAIYUAN, token } from './route-harness';

/** Issue #14 hole 8 (the API's part): time range, log redaction, bad-token limits, trustProxy, stream caps. */
type Harness = Awaited<ReturnType<typeof harness>>;
let h: Harness | undefined;
afterEach(async () => {
  await h?.app.close();
  h = undefined;
});
const regulator = () => token('regulator', { level: 'city', code: TAIYUAN.city });

describe('time parameters', () => {
  it.each([
    ['/api/v1/alarms?from=99999999999999999', 'querystring.from'],
    ['/api/v1/alarms?to=253402300800000', 'querystring.to'],
    [`/api/v1/points/${E_TY}:CO-BF1-003/readings?from=0&to=99999999999999999`, 'querystring.to'],
    ['/api/v1/reports/alarm-kpis?from=99999999999999999', 'querystring.from'],
  ])('%s → 400 naming %s', async (url, path) => {
    h = await harness();
    const res = await h.app.inject({ url, headers: bearer(await regulator()) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'YJ_ERR_API_VALIDATION',
      issues: [{ path, message: expect.stringContaining('from 1970 to 9999') }],
    });
  });
});

describe('?access_token= in logs', () => {
  it('is redacted from the error log of a 5xx', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    h = await harness({ logger: createLogger({ service: 'api-test', level: 'info', destination: out }) });
    h.history.down = true;
    const t = await regulator();
    const res = await h.app.inject({ url: `/api/v1/alarms?access_token=${t}&limit=5`, headers: bearer(t) });
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(text).toContain('access_token=[redacted]&limit=5');
    expect(text).not.toContain(t);
  });

  it('redactUrl keeps everything but credential values', () => {
    expect(redactUrl('/api/v1/stream/alarms?level=1&access_token=abc.def.ghi')).toBe(
      '/api/v1/stream/alarms?level=1&access_token=[redacted]',
    );
    expect(redactUrl('/api/v1/ws/alarms?token=x&lastEventId=b-1')).toBe(
      '/api/v1/ws/alarms?token=[redacted]&lastEventId=b-1',
    );
  });
});

describe('bad-token requests', () => {
  it('are limited per client IP: past the limit 429 with retry-after, valid tokens and other addresses unaffected', async () => {
    h = await harness({ authFailuresPerMin: 3 });
    const app = h.app;
    const bad = (ip: string) =>
      app.inject({
        url: '/api/v1/alarms',
        remoteAddress: ip,
        headers: { authorization: 'Bearer not-a-jwt' },
      });
    for (let i = 0; i < 3; i++) expect((await bad('203.0.113.7')).statusCode).toBe(401);
    const limited = await bad('203.0.113.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'YJ_ERR_API_RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // A valid token from that address still works (users behind one proxy are not locked out).
    const good = await app.inject({
      url: '/api/v1/alarms',
      remoteAddress: '203.0.113.7',
      headers: bearer(await regulator()),
    });
    expect(good.statusCode).toBe(200);
    // Missing tokens count as failures too.
    expect((await app.inject({ url: '/api/v1/alarms', remoteAddress: '203.0.113.7' })).statusCode).toBe(429);
    expect((await bad('198.51.100.9')).statusCode).toBe(401);
    const other = await app.inject({
      url: '/api/v1/alarms',
      remoteAddress: '198.51.100.9',
      headers: bearer(await regulator()),
    });
    expect(other.statusCode).toBe(200);
  });

  it('cannot dodge the limit with X-Forwarded-For: trustProxy is off unless configured', async () => {
    h = await harness({ authFailuresPerMin: 2 });
    const app = h.app;
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (
          await app.inject({
            url: '/api/v1/alarms',
            remoteAddress: '203.0.113.8',
            headers: { authorization: `Bearer forged-${i}`, 'x-forwarded-for': `192.0.2.${i + 1}` },
          })
        ).statusCode,
      );
    expect(codes).toEqual([401, 401, 429, 429]);
  });

  it('refuses a token signed with another secret as 401, not 500', async () => {
    h = await harness();
    const forged = await token('admin', { level: 'province', code: '140000' }, { secret: `${SECRET}-other` });
    const res = await h.app.inject({ url: '/api/v1/alarms', headers: bearer(forged) });
    expect(res.statusCode).toBe(401);
  });
});

describe('stream caps', () => {
  const sse = (app: Harness['app'], t: string) =>
    app.inject({ url: '/api/v1/stream/alarms', headers: bearer(t), payloadAsStream: true });
  /** The JSON body of a refused (ended) streamed response. */
  const problem = async (res: Awaited<ReturnType<typeof sse>>) => {
    let text = '';
    for await (const chunk of res.stream()) text += String(chunk);
    return JSON.parse(text);
  };

  it('caps open streams per token (429) and per instance (503), before opening anything', async () => {
    h = await harness({ streamLimits: { perToken: 2, total: 3 } });
    const a = await token('regulator', { level: 'city', code: TAIYUAN.city }, { jti: 'tok-a' });
    const b = await token('regulator', { level: 'city', code: TAIYUAN.city }, { jti: 'tok-b' });
    const a1 = await sse(h.app, a);
    const a2 = await sse(h.app, a);
    expect([a1.statusCode, a2.statusCode]).toEqual([200, 200]);
    const a3 = await sse(h.app, a);
    expect(a3.statusCode).toBe(429);
    expect(await problem(a3)).toMatchObject({
      code: 'YJ_ERR_API_RATE_LIMITED',
      detail: expect.stringContaining('at most 2'),
    });
    const b1 = await sse(h.app, b);
    expect(b1.statusCode).toBe(200);
    const b2 = await sse(h.app, b);
    expect(b2.statusCode).toBe(503);
    expect(await problem(b2)).toMatchObject({ code: 'YJ_ERR_API_STREAMS_FULL' });
    const ws = h.app.injectWS('/api/v1/ws/alarms', { headers: bearer(b) });
    await expect(ws).rejects.toThrow(/503/);
    for (const r of [a1, a2, b1]) r.stream().destroy();
  });
});

describe('webhook subscription URLs', () => {
  const admin = () => token('admin', { level: 'province', code: '140000' });
  const body = (url: string) => ({
    name: '太原市应急局',
    scope: { level: 'city', code: '140100' },
    url,
    secret: 'another-webhook-secret-key',
  });

  it('must be https in production: 400 naming the field, nothing published', async () => {
    h = await harness({ webhooksRequireHttps: true });
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/subscriptions/ty-city',
      headers: bearer(await admin()),
      payload: body('http://regulator.example/hook'),
    });
    expect(put.statusCode).toBe(400);
    expect(put.json()).toMatchObject({
      issues: [{ path: 'body.url', message: 'webhook URLs must be https outside development' }],
    });
    const doc = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/registry',
      headers: bearer(await admin()),
      payload: { subscriptions: [{ id: 'ty-city', ...body('http://regulator.example/hook') }] },
    });
    expect(doc.statusCode).toBe(400);
    expect(doc.json()).toMatchObject({ issues: [{ path: 'body.subscriptions.0.url' }] });
    expect(h.writer.published).toEqual([]);
    const ok = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/subscriptions/ty-city',
      headers: bearer(await admin()),
      payload: body('https://regulator.example/hook'),
    });
    expect(ok.statusCode).toBe(200);
  });

  it('may be http in development (the local regulator simulator)', async () => {
    h = await harness({ webhooksRequireHttps: false });
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/subscriptions/ty-city',
      headers: bearer(await admin()),
      payload: body('http://127.0.0.1:9300/hook'),
    });
    expect(put.statusCode).toBe(200);
  });
});
