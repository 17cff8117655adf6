import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy } from '../src/ssrf-guard';
import { sendWebhook } from '../src/webhook-sender';

/** The HTTP attempt against a real local server: redirects, timeouts, and the guard at connect time. */
let server: http.Server;
let base: string;
const hits: string[] = [];
const allowLoopback = createAddressPolicy(['127.0.0.0/8', '::1']);

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') return res.writeHead(302, { location: '/target' }).end();
    if (req.url === '/slow') return; // never answers
    if (req.url === '/target') return res.writeHead(200).end('should never be reached by a redirect');
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (url: string, policy = allowLoopback, timeoutMs = 2000) =>
  sendWebhook({ url, body: '{"a":1}', headers: { 'x-yujing-event': 'alarm.raised' }, timeoutMs, policy });

describe('sendWebhook', () => {
  it('delivers on 2xx', async () => {
    expect(await post(`${base}/hook`)).toMatchObject({ kind: 'delivered', httpStatus: 204 });
  });

  it('treats a redirect as a failure and never follows it', async () => {
    const before = hits.filter((h) => h === '/target').length;
    const res = await post(`${base}/redirect`);
    expect(res).toMatchObject({ kind: 'failed', httpStatus: 302 });
    expect(res.kind === 'failed' && res.error).toContain('not followed');
    expect(hits.filter((h) => h === '/target').length).toBe(before);
  });

  it('gives up at the timeout', async () => {
    const res = await post(`${base}/slow`, allowLoopback, 300);
    expect(res).toMatchObject({ kind: 'failed', httpStatus: null });
    expect(res.kind === 'failed' && res.error).toContain('timeout');
  });

  it('refuses a loopback literal and a name resolving to loopback without connecting', async () => {
    const strict = createAddressPolicy(false);
    const before = hits.length;
    const port = (server.address() as AddressInfo).port;
    expect(await post(`${base}/hook`, strict)).toMatchObject({ kind: 'rejected' });
    const byName = await post(`http://localhost:${port}/hook`, strict);
    expect(byName).toMatchObject({ kind: 'rejected' });
    expect(byName.kind === 'rejected' && byName.error).toContain('loopback');
    expect(hits.length).toBe(before);
  });

  it('refuses non-http URLs', async () => {
    expect(await post('ftp://example.org/x')).toMatchObject({ kind: 'rejected' });
  });
});
