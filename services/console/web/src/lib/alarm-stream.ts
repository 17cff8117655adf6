import type { AlarmEvent } from './alarm-types';
import { session } from './session';
import { SseParser } from './sse-reader';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface AlarmStreamHandlers {
  onAlarm(e: AlarmEvent): void;
  /** The API could not resume from our last event id (restarted, or too far behind): re-list. */
  onReload(reason: string): void;
  onStatus(s: StreamStatus): void;
}

/**
 * The live alarm stream (`/api/v1/stream/alarms`, SSE) read with fetch, so the token travels in
 * the Authorization header rather than the URL. On any end (API restart, shutdown goodbye,
 * network) it reconnects after the server's `retry` delay and sends `Last-Event-ID`; the API
 * replays what was missed or says `reload`, and the board re-lists (BoardModel merges by seq).
 */
export class AlarmStream {
  #lastEventId: string | undefined;
  #abort = new AbortController();
  #stopped = false;

  constructor(readonly handlers: AlarmStreamHandlers) {}

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  start(): void {
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
  }

  async #run(): Promise<void> {
    let retryMs = 2000;
    let attempt = 0;
    while (!this.#stopped) {
      const first = attempt === 0;
      attempt += 1;
      this.handlers.onStatus(first ? 'connecting' : 'reconnecting');
      const parser = new SseParser();
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        const token = session.token();
        if (!token) return;
        headers.authorization = `Bearer ${token}`;
        if (this.#lastEventId) headers['last-event-id'] = this.#lastEventId;
        const res = await fetch('/api/v1/stream/alarms', { headers, signal: this.#abort.signal });
        if (res.status === 401) {
          const p = (await res.json().catch(() => ({}))) as { detail?: string };
          session.signOut(`登录已失效，请重新登录：${p.detail ?? '令牌被拒绝'}`);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        this.handlers.onStatus('live');
        // A reconnect with no position to resume from (nothing had arrived yet) cannot be replayed
        // by the API: re-list, so an alarm raised while disconnected is not missed.
        if (!first && !this.#lastEventId) this.handlers.onReload('no-resume-position');
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const ev of parser.push(value)) {
            if (ev.event === 'alarm') {
              if (ev.id) this.#lastEventId = ev.id;
              this.handlers.onAlarm(JSON.parse(ev.data) as AlarmEvent);
            } else if (ev.event === 'reload') {
              const reason = (JSON.parse(ev.data || '{}') as { reason?: string }).reason ?? 'unknown';
              this.handlers.onReload(reason);
            }
          }
          retryMs = parser.retryMs ?? retryMs;
        }
      } catch {
        if (this.#stopped) return;
      }
      if (this.#stopped) return;
      this.handlers.onStatus('reconnecting');
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }
}
