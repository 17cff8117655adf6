import type { AlarmTransitionEvent } from '@yujing/schemas';
import WebSocket from 'ws';

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
