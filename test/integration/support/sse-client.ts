import http from 'node:http';
import { AlarmTransitionEvent } from '@yujing/schemas';

/**
 * A Server-Sent Events client on a real socket (node:http, as an integrator without a browser
 * would use): every `alarm` event, parsed against the contract. `opened` turns true with the
 * first bytes; the API subscribes the stream before it writes them.
 */
export function openSse(url: string, bearer: string) {
  const state = {
    status: 0,
    opened: false,
    alarms: [] as AlarmTransitionEvent[],
    error: undefined as unknown,
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
          const data = lines.find((l) => l.startsWith('data: '));
          if (lines.includes('event: alarm') && data)
            state.alarms.push(AlarmTransitionEvent.parse(JSON.parse(data.slice(6))));
        }
      });
    },
  );
  req.on('error', (err) => {
    state.error = err;
  });
  return Object.assign(state, { close: () => req.destroy() });
}
export type SseClient = ReturnType<typeof openSse>;
