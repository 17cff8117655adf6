import type { AlarmTransitionEvent } from '@yujing/schemas';
import { openSse, waitFor } from '@yujing/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealStackApi, startRealStackApi } from './real-stack-api';
import { alarmEvent, E_DT, E_TY, TAIYUAN, token } from './route-harness';
import { openWs } from './stream-clients';

/**
 * SSE and WebSocket streams on a real socket, fed from the real Kafka (yj.alarms.v1 under a
 * unique topic prefix). The graceful-shutdown test closes the app, so it runs last.
 */
let s: RealStackApi;
let n = 0;

beforeAll(async () => {
  s = await startRealStackApi('api-streams');
});
afterAll(async () => {
  await s?.stop();
});

/** A fresh raise of the Taiyuan or Datong test point, with an id no other test uses. */
const raise = (enterpriseId: string) =>
  alarmEvent(enterpriseId, { alarmId: `${enterpriseId}:CO-BF1-003:co-high:${Date.now()}${n++}` });

/**
 * Sends a Datong alarm and a Taiyuan alarm, waits until the hub has consumed the Datong one and the
 * client holds the Taiyuan one, then sends a Taiyuan sentinel and waits for it: a stream is ordered,
 * so a leaked Datong event would have reached the client before the sentinel.
 */
async function crossCityRound(received: () => AlarmTransitionEvent[]) {
  const dt = raise(E_DT);
  const ty = raise(E_TY);
  await s.sendAlarm(dt);
  await s.sendAlarm(ty);
  await waitFor(() => received().some((e) => e.alarmId === ty.alarmId) && s.hub.latest(dt.alarmId), {
    timeoutMs: 20_000,
    message: 'Taiyuan alarm not streamed (or Datong alarm not consumed)',
  });
  const sentinel = raise(E_TY);
  await s.sendAlarm(sentinel);
  await waitFor(() => received().some((e) => e.alarmId === sentinel.alarmId), {
    timeoutMs: 20_000,
    message: 'sentinel alarm not streamed',
  });
  return { dt, ty, sentinel };
}

describe('alarm streams against the real Kafka', () => {
  it('streams an alarm from yj.alarms.v1 over SSE, and a city regulator never sees another city', async () => {
    const reg = await token('regulator', { level: 'city', code: TAIYUAN.city });
    const sse = openSse(`${s.base}/api/v1/stream/alarms`, reg);
    try {
      await waitFor(() => s.api.streams.size === 1, { message: 'SSE stream not open' });
      const { ty } = await crossCityRound(() => sse.alarms);
      expect(sse.status).toBe(200);
      expect(sse.alarms.find((e) => e.alarmId === ty.alarmId)).toMatchObject({
        enterpriseId: E_TY,
        level: 1,
      });
      expect(sse.alarms.map((e) => e.enterpriseId)).not.toContain(E_DT);
    } finally {
      sse.close();
    }
    await waitFor(() => s.api.streams.size === 0, { message: 'closed SSE stream still registered' });
  });

  it('streams an alarm from yj.alarms.v1 over WebSocket, and a city regulator never sees another city', async () => {
    const reg = await token('regulator', { level: 'city', code: TAIYUAN.city });
    // ?access_token= is how browsers authenticate a WebSocket (they cannot set headers).
    const ws = openWs(`${s.wsBase}/api/v1/ws/alarms?access_token=${encodeURIComponent(reg)}`);
    try {
      // The server subscribes before it says hello, so nothing sent after the hello is missed.
      await waitFor(() => ws.messages.some((m) => m.type === 'hello'), { message: 'no WS hello' });
      const { ty, sentinel } = await crossCityRound(() => ws.alarms());
      const alarmMessages = ws.messages.filter((m) => m.type === 'alarm');
      expect(alarmMessages.find((m) => m.alarm?.alarmId === ty.alarmId)).toMatchObject({
        id: expect.stringMatching(new RegExp(`^${s.hub.bootId}-\\d+$`)),
        alarm: { enterpriseId: E_TY, alarmId: ty.alarmId },
      });
      expect(ws.alarms().map((e) => e.enterpriseId)).not.toContain(E_DT);
      expect(ws.alarms().at(-1)?.alarmId).toBe(sentinel.alarmId);
    } finally {
      ws.close();
    }
    await waitFor(() => s.api.streams.size === 0, { message: 'closed WS stream still registered' });
  });

  it('refuses a WebSocket without a token', async () => {
    const ws = openWs(`${s.wsBase}/api/v1/ws/alarms`);
    await waitFor(() => ws.closed ?? ws.error, { message: 'unauthenticated WS neither closed nor refused' });
    expect(ws.messages.some((m) => m.type === 'hello')).toBe(false);
    expect(s.api.streams.size).toBe(0);
  });

  // Last: it closes the app.
  it('on close, ends every open SSE and WebSocket stream with a goodbye, and the app closes', async () => {
    const admin = await token('admin', { level: 'province', code: '140000' });
    const sse = openSse(`${s.base}/api/v1/stream/alarms`, admin);
    const ws = openWs(`${s.wsBase}/api/v1/ws/alarms?access_token=${encodeURIComponent(admin)}`);
    await waitFor(() => s.api.streams.size === 2 && ws.messages.some((m) => m.type === 'hello'), {
      message: 'streams not open',
    });
    let closed = false;
    const closing = s.closeApp().then(() => {
      closed = true;
    });
    // Deadlines, not timings: a stream left open would keep app.close() waiting for ever.
    await waitFor(() => sse.ended && ws.closed, { timeoutMs: 10_000, message: 'streams not ended' });
    await waitFor(() => closed, { timeoutMs: 10_000, message: 'app.close() did not finish' });
    await closing;
    expect(sse.events.at(-1)).toBe('shutdown');
    expect(sse.error).toBeUndefined();
    expect(ws.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(s.api.streams.size).toBe(0);
    expect(s.hub.listenerCount).toBe(0);
  });
});
