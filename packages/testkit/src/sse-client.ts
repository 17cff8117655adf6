import http from 'node:http';
import { AlarmTransitionEvent } from '@yujing/schemas';

/**
 * A Server-Sent Events client on a real socket (node:http, as an integrator without a browser would
 * use). Records every event name in arrival order, every `alarm` event parsed against the contract,
 * whether the first bytes arrived (`opened`: the API subscribes the stream before it writes them)
 * and whether the server ended the response (as opposed to the socket being cut).
 */
export function openSse(url: string, bearer: string) {
  const state = {
    status: 0,
    opened: false,
    alarms: [] as AlarmTransitionEvent[],
    /** Event names in arrival order (`alarm`, `reload`, `shutdown` …). */
    events: [] as string[],
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
        state.opened = true;
        buffer += chunk;
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, i).split('\n');
          buffer = buffer.slice(i + 2);
          const name = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (name) state.events.push(name);
          if (name === 'alarm' && data) state.alarms.push(AlarmTransitionEvent.parse(JSON.parse(data)));
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

export type SseClient = ReturnType<typeof openSse>;
