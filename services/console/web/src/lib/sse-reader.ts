/** One Server-Sent Event (WHATWG HTML §9.2 event stream format). */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Incremental parser of a text/event-stream: feed it decoded text as it arrives, get the complete
 * events. Comments (`: keep-alive`) are skipped; `retry:` is remembered for the reconnect delay.
 */
export class SseParser {
  #buffer = '';
  #id: string | undefined;
  #event = '';
  #data: string[] = [];
  retryMs: number | undefined;

  push(text: string): SseEvent[] {
    this.#buffer += text;
    const out: SseEvent[] = [];
    for (;;) {
      const nl = this.#buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = this.#buffer.slice(0, nl);
      const width = this.#buffer.startsWith('\r\n', nl) ? 2 : 1;
      this.#buffer = this.#buffer.slice(nl + width);
      if (line === '') {
        if (this.#data.length > 0 || this.#event)
          out.push({ id: this.#id, event: this.#event || 'message', data: this.#data.join('\n') });
        this.#event = '';
        this.#data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.#data.push(value);
      else if (field === 'event') this.#event = value;
      else if (field === 'id') this.#id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return out;
  }
}
