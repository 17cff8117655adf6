import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@yujing/config';
import { createLogger } from '@yujing/logger';
import { createMetricsRegistry } from '@yujing/service-runtime';
import { waitFor } from '@yujing/testkit';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, type ConsoleService } from '../src/app';
import { ConsoleConfig } from '../src/config';
import { devPersonas } from '../src/dev-personas';

const SECRET = 'console-service-test-secret-0123456789abcdef';
const logger = createLogger({ service: 'console-test', level: 'silent' });

/**
 * The console service over loopback HTTP: a stand-in upstream plays operator-api so the forward
 * can be watched byte for byte (streamed SSE, bodies, headers, unreachable upstream).
 */
describe('console service', () => {
  let upstream: Server;
  let upstreamUrl = '';
  let dist = '';
  let withDev: ConsoleService;
  let withoutDev: ConsoleService;
  let base = '';
  const seen: { method: string; url: string; auth?: string; body: string }[] = [];

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), 'yj-console-dist-'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>预警监测控制台</title>');
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        if (req.url?.startsWith('/api/v1/stream/alarms')) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('id: b-1\nevent: alarm\ndata: {"n":1}\n\n');
          return; // stays open, like a live stream
        }
        res.writeHead(req.url === '/api/v1/missing' ? 404 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echo: body }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    withDev = await buildConsole({
      logger,
      distDir: dist,
      operatorApiUrl: upstreamUrl,
      devSignIn: { personas: devPersonas('140108ST01'), secret: SECRET, issuer: 'yujing', ttl: '12h' },
      metrics: createMetricsRegistry('console-test'),
    });
    await withDev.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(withDev.app.server.address() as { port: number }).port}`;
    withoutDev = await buildConsole({
      logger,
      distDir: dist,
      operatorApiUrl: 'http://127.0.0.1:1',
      metrics: createMetricsRegistry('console-test-2'),
    });
  });

  afterAll(async () => {
    await withDev?.app.close();
    await withoutDev?.app.close();
    upstream?.closeAllConnections();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  it('serves the built page with a same-origin-only content security policy, and is ready when it exists', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('预警监测控制台');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });

  it('sends a notification’s /alarms/<id> link to the alarm page', async () => {
    const res = await withoutDev.app.inject({ method: 'GET', url: '/alarms/E1%3ACO-1%3Aco-hh%3A1' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/#/alarm/E1%3ACO-1%3Aco-hh%3A1');
  });

  it('forwards /api requests with their method, bearer token and body, and the upstream status', async () => {
    const res = await fetch(`${base}/api/v1/alarms/a1/ack?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
      body: '{"comment":"好"}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ echo: '{"comment":"好"}' });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/api/v1/alarms/a1/ack?x=1',
      auth: 'Bearer abc',
    });
    expect((await fetch(`${base}/api/v1/missing`)).status).toBe(404);
  });

  it('streams SSE events as they come, without waiting for the response to end', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${base}/api/v1/stream/alarms`, {
      signal: ctl.signal,
      headers: { 'last-event-id': 'b-0' },
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    await waitFor(
      async () => {
        const { value } = await reader.read();
        text += value ?? '';
        return text.includes('data: {"n":1}');
      },
      { timeoutMs: 5000 },
    );
    ctl.abort();
    expect(seen.some((s) => s.url === '/api/v1/stream/alarms')).toBe(true);
  });

  it('answers 502 problem+json naming the cause when operator-api is unreachable', async () => {
    const res = await withoutDev.app.inject({ method: 'GET', url: '/api/v1/alarms' });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: 'YJ_ERR_CONSOLE_UPSTREAM' });
  });

  it('mints a persona token with the claims operator-api verifies, only when the dev sign-in is on', async () => {
    const options = (await (await fetch(`${base}/console/session-options`)).json()) as { devSignIn: boolean };
    expect(options.devSignIn).toBe(true);
    const res = await fetch(`${base}/console/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'city-regulator' }),
    });
    const { token } = (await res.json()) as { token: string };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { issuer: 'yujing' });
    expect(payload).toMatchObject({ role: 'regulator', scope: { level: 'city', code: '140100' } });
    const bad = await fetch(`${base}/console/dev-sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ persona: 'root' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { detail: string }).detail).toContain('body.persona');

    expect((await withoutDev.app.inject({ method: 'GET', url: '/console/session-options' })).json()).toEqual({
      devSignIn: false,
      personas: [],
    });
    expect(
      (await withoutDev.app.inject({ method: 'POST', url: '/console/dev-sign-in', payload: {} })).statusCode,
    ).toBe(404);
  });

  it('refuses the dev sign-in outside NODE_ENV=development and without the signing key', () => {
    expect(() =>
      loadConfig(ConsoleConfig, { CONSOLE_DEV_SIGN_IN: 'true', JWT_SECRET: SECRET, NODE_ENV: 'production' }),
    ).toThrow(/CONSOLE_DEV_SIGN_IN/);
    expect(() => loadConfig(ConsoleConfig, { CONSOLE_DEV_SIGN_IN: 'true', JWT_SECRET: SECRET })).toThrow(
      /NODE_ENV=development/,
    );
    expect(() => loadConfig(ConsoleConfig, { CONSOLE_DEV_SIGN_IN: 'true', NODE_ENV: 'development' })).toThrow(
      /JWT_SECRET/,
    );
    const dev = loadConfig(ConsoleConfig, {
      CONSOLE_DEV_SIGN_IN: 'true',
      NODE_ENV: 'development',
      JWT_SECRET: SECRET,
    });
    expect(dev.CONSOLE_DEV_SIGN_IN).toBe(true);
    expect(loadConfig(ConsoleConfig, {}).CONSOLE_DEV_SIGN_IN).toBe(false);
  });
});
