/** One Server-Sent Event as the stream delivered it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * Incremental text/event-stream parser (WHATWG rules that matter here): events end at a blank
 * line, `data:` lines join with "\n", `:` lines are comments (keep-alives), `retry:` is
 * reported as a retry hint. Feed it decoded chunks in order; it keeps partial lines.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  retryMs: number | undefined;

  feed(chunk: string): SseEvent[] {
    this.#buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const nl = this.#buffer.search(/\r\n|\n|\r/);
      if (nl < 0) break;
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(this.#buffer.startsWith('\r\n', nl) ? nl + 2 : nl + 1);
      if (line === '') {
        if (this.#data.length > 0) {
          out.push({
            ...(this.#id !== undefined ? { id: this.#id } : {}),
            event: this.#event || 'message',
            data: this.#data.join('\n'),
          });
        }
        this.#data = [];
        this.#event = '';
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.#data.push(value);
      else if (field === 'event') this.#event = value;
      else if (field === 'id' && !value.includes('\0')) this.#id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return out;
  }

  /** The id of the last event seen: what a reconnect sends as Last-Event-ID. */
  get lastEventId(): string | undefined {
    return this.#id;
  }
}
