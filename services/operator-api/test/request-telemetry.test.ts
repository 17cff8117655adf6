import { createLogger } from '@yujing/logger';
import { createMetricsRegistry } from '@yujing/service-runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installProblemHandlers } from '../src/http/problem-details';
import { installRequestTelemetry } from '../src/http/request-telemetry';
import { harness } from './route-harness';

const HEADER_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.header-secret-part.sig-AAAA';
const QUERY_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.query-secret-part.sig-BBBB';

/** The count of the request histogram's series with these labels (undefined: no such series). */
function requestCount(metrics: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('yujing_api_request_duration_seconds_count{')) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.split(' ').at(-1));
  }
  return undefined;
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A small app with the API's error handler and the telemetry, logging into `lines`. */
async function telemetryApp() {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'telemetry-test',
    destination: { write: (s: string) => lines.push(s) },
  });
  const registry = createMetricsRegistry('telemetry-test');
  const a = Fastify({ logger: false });
  installProblemHandlers(a, logger);
  installRequestTelemetry(a, { registry, logger });
  a.get('/api/v1/alarms/:id', async () => ({ ok: true }));
  a.get('/api/v1/stream/alarms', async () => {
    throw new Error('boom: the stream broke');
  });
  a.get('/healthz', async () => 'ok');
  await a.ready();
  app = a;
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { app: a, lines, records, registry };
}

describe('operator-api request metrics and access log', () => {
  it('observes each request under its route template, method and status', async () => {
    const t = await telemetryApp();
    await t.app.inject({ url: '/api/v1/alarms/a-1' });
    await t.app.inject({ url: '/api/v1/alarms/a-2' });
    await t.app.inject({ url: '/api/v1/stream/alarms' });
    await t.app.inject({ url: '/no/such/route' });
    const text = await t.registry.metrics();
    expect(requestCount(text, { route: '/api/v1/alarms/:id', method: 'GET', status: '200' })).toBe(2);
    expect(requestCount(text, { route: '/api/v1/stream/alarms', method: 'GET', status: '500' })).toBe(1);
    expect(requestCount(text, { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(text).not.toContain('a-1');
  });

  it('writes one access line per request, and none for probes', async () => {
    const t = await telemetryApp();
    await t.app.inject({ url: '/api/v1/alarms/a-1?limit=5' });
    await t.app.inject({ url: '/healthz' });
    const access = t.records().filter((r) => r.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      component: 'access-log',
      method: 'GET',
      url: '/api/v1/alarms/a-1?limit=5',
      route: '/api/v1/alarms/:id',
      status: 200,
      level: 'info',
    });
    expect(access[0]!.durationMs).toBeTypeOf('number');
  });

  it('never writes a bearer token, from the Authorization header or ?access_token=, also on a 500', async () => {
    const t = await telemetryApp();
    const res = await t.app.inject({
      url: `/api/v1/stream/alarms?level=1&access_token=${QUERY_TOKEN}&x=1`,
      headers: { authorization: `Bearer ${HEADER_TOKEN}` },
    });
    expect(res.statusCode).toBe(500);
    await t.app.inject({
      url: `/api/v1/alarms/a-1?token=${QUERY_TOKEN}`,
      headers: { authorization: HEADER_TOKEN },
    });
    const output = t.lines.join('');
    // The 500 was logged twice (error handler, access log): the lines exist and name the URL.
    const records = t.records();
    expect(records.some((r) => r.level === 'error')).toBe(true);
    const access = records.filter((r) => r.msg === 'request');
    expect(access.map((r) => r.url)).toEqual([
      '/api/v1/stream/alarms?level=1&access_token=[redacted]&x=1',
      '/api/v1/alarms/a-1?token=[redacted]',
    ]);
    for (const secret of [HEADER_TOKEN, QUERY_TOKEN, 'header-secret-part', 'query-secret-part'])
      expect(output).not.toContain(secret);
  });

  it('is wired into the operator API: /metrics shows the routes it served', async () => {
    const h = await harness();
    app = h.app;
    await h.app.inject({ url: '/api/v1/alarms' });
    const metrics = await h.app.inject({ url: '/metrics' });
    expect(requestCount(metrics.body, { route: '/api/v1/alarms', method: 'GET', status: '401' })).toBe(1);
  });
});
