import http from 'node:http';
import type { AlarmTransitionEvent } from '@yujing/schemas';
import WebSocket from 'ws';

/** A raw SSE client over a real socket: records every event by name and whether the server ended it. */
export function openSse(url: string, bearer: string) {
  const state = {
    status: 0,
    alarms: [] as AlarmTransitionEvent[],
    /** Event names in arrival order (`alarm`, `reload`, `shutdown` …). */
    events: [] as string[],
    /** The server ended the response (as opposed to the socket being cut). */
    ended: false,
    error: undefined as Error | undefined,
  };
  let buffer = '';
  const req = http.get(
    url,
    { headers: { authorization: `Bearer ${bearer}`, accept: 'text/event-stream' } },
    (res) => {
      state.status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i = buffer.indexOf('\n\n');
        while (i >= 0) {
          const lines = buffer.slice(0, i).split('\n');
          buffer = buffer.slice(i + 2);
          const name = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (name) state.events.push(name);
          if (name === 'alarm' && data) state.alarms.push(JSON.parse(data));
          i = buffer.indexOf('\n\n');
        }
      });
      res.on('end', () => {
        state.ended = true;
      });
      res.on('error', (err) => {
        state.error = err;
      });
    },
  );
  req.on('error', (err) => {
    state.error = err;
  });
  return Object.assign(state, { close: () => req.destroy() });
}

interface WsMessage {
  type: string;
  id?: string;
  alarm?: AlarmTransitionEvent;
  reason?: string;
}

/** A WebSocket client (the `ws` package, as a Node integrator would use): messages and the close frame. */
export function openWs(url: string) {
  const socket = new WebSocket(url);
  const state = {
    messages: [] as WsMessage[],
    closed: undefined as { code: number; reason: string } | undefined,
    error: undefined as Error | undefined,
    alarms(): AlarmTransitionEvent[] {
      return state.messages.flatMap((m) => (m.type === 'alarm' && m.alarm ? [m.alarm] : []));
    },
    close: () => socket.terminate(),
  };
  socket.on('message', (data) => state.messages.push(JSON.parse(String(data)) as WsMessage));
  socket.on('close', (code, reason) => {
    state.closed = { code, reason: reason.toString() };
  });
  socket.on('error', (err) => {
    state.error = err;
  });
  return state;
}
