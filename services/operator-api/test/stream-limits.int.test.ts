import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { alarmEvent, bearer, E_TY, harness, TAIYUAN, token } from './route-harness';

/**
 * Issue #14 hole 8 on a real socket (app.inject has no TCP back-pressure and no client hang-up):
 * a closed stream frees its slot, and a reader that stops reading is dropped once its unsent data
 * passes STREAM_MAX_BUFFERED_BYTES, while a reader that keeps up stays connected.
 */
const MAX_BUFFERED = 64 * 1024;
let h: Awaited<ReturnType<typeof harness>>;
let base: { host: string; port: number };

beforeAll(async () => {
  h = await harness({ streamLimits: { perToken: 1, maxBufferedBytes: MAX_BUFFERED } });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = h.app.server.address() as { port: number };
  base = { host: '127.0.0.1', port: addr.port };
});
afterAll(async () => {
  await h?.app.close();
});

const regulator = (jti: string) => token('regulator', { level: 'city', code: TAIYUAN.city }, { jti });

/** An SSE request; resolves with its status and the request (destroy it to hang up). */
function openSse(t: string, onData?: (chunk: string) => void) {
  return new Promise<{ status: number; req: http.ClientRequest; res: http.IncomingMessage }>(
    (resolve, reject) => {
      const req = http.get({ ...base, path: '/api/v1/stream/alarms', headers: bearer(t) }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => onData?.(c));
        res.on('error', () => {});
        resolve({ status: res.statusCode ?? 0, req, res });
      });
      req.on('error', reject);
    },
  );
}

describe('stream slots and slow readers on a real socket', () => {
  it('a stream that hangs up frees its slot for the same token', async () => {
    const t = await regulator('tok-slot');
    const first = await openSse(t);
    expect(first.status).toBe(200);
    await waitFor(() => h.streams.size === 1, { message: 'first stream registered' });
    const second = await openSse(t);
    expect(second.status).toBe(429);
    second.req.destroy();
    first.req.destroy();
    await waitFor(() => h.streams.size === 0, { message: 'closed stream unregistered' });
    const third = await openSse(t);
    expect(third.status).toBe(200);
    third.req.destroy();
    await waitFor(() => h.streams.size === 0, { message: 'third stream unregistered' });
  });

  it('drops a reader that stops reading, keeps one that reads', async () => {
    // The slow reader: a raw socket that sends the request and never reads a byte.
    const slow: Socket = connect(base);
    slow.pause();
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    const slowToken = await regulator('tok-slow');
    slow.write(
      `GET /api/v1/stream/alarms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${slowToken}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    let fastBytes = 0;
    let tail = '';
    const fast = await openSse(await regulator('tok-fast'), (c) => {
      fastBytes += c.length;
      tail = (tail + c).slice(-8192);
    });
    expect(fast.status).toBe(200);
    await waitFor(() => h.streams.size === 2, { message: 'both streams registered' });

    // Publish in small batches, yielding so sockets drain, until the slow reader is dropped.
    const padding = 'x'.repeat(2000);
    let n = 0;
    while (h.streams.size === 2 && n < 100_000) {
      for (let i = 0; i < 20; i++, n++)
        h.hub.publish({ ...alarmEvent(E_TY, { alarmId: `${E_TY}:bulk:${n}` }), note: padding } as never);
      await new Promise((r) => setImmediate(r));
    }
    expect(h.streams.size, `slow reader still connected after ${n} events`).toBe(1);
    // The fast reader got everything so far and is still served.
    const sentinel = `${E_TY}:after-drop`;
    h.hub.publish(alarmEvent(E_TY, { alarmId: sentinel }));
    await waitFor(() => tail.includes(sentinel), { message: 'fast reader received the sentinel' });
    expect(fastBytes).toBeGreaterThan(n * 2000);
    fast.req.destroy();
    slow.destroy();
  });

  it('drops a WebSocket client that stops reading', async () => {
    const t = await regulator('tok-ws-slow');
    const client = new WebSocket(`ws://${base.host}:${base.port}/api/v1/ws/alarms`, { headers: bearer(t) });
    await new Promise<void>((resolve, reject) => {
      client.once('open', () => resolve());
      client.once('error', reject);
    });
    let closed = false;
    client.on('close', () => {
      closed = true;
    });
    client.on('error', () => {});
    // Stop reading at the TCP level: the server's sends pile up in its socket buffer.
    (client as unknown as { _socket: Socket })._socket.pause();
    await waitFor(() => h.streams.size === 1, { message: 'WebSocket stream registered' });
    const padding = 'x'.repeat(2000);
    let n = 0;
    while (h.streams.size === 1 && n < 100_000) {
      for (let i = 0; i < 20; i++, n++)
        h.hub.publish({ ...alarmEvent(E_TY, { alarmId: `${E_TY}:ws-bulk:${n}` }), note: padding } as never);
      await new Promise((r) => setImmediate(r));
    }
    expect(h.streams.size, `slow WebSocket reader still connected after ${n} events`).toBe(0);
    (client as unknown as { _socket: Socket })._socket.resume();
    await waitFor(() => closed, { message: 'client sees the connection end' });
  });
});
