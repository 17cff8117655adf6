import { apiErrors } from '../api-errors';

/** Caps of open streams (config STREAM_MAX_PER_TOKEN, STREAM_MAX_TOTAL, STREAM_MAX_BUFFERED_BYTES). */
export interface StreamLimits {
  perToken: number;
  total: number;
  /** Unsent bytes a stream may queue before its reader counts as too slow and is dropped. */
  maxBufferedBytes: number;
}

const UNLIMITED: StreamLimits = {
  perToken: Number.POSITIVE_INFINITY,
  total: Number.POSITIVE_INFINITY,
  maxBufferedBytes: Number.POSITIVE_INFINITY,
};

/**
 * The open SSE and WebSocket streams of this instance: capped per token and in total (so one
 * token or a reconnect storm cannot hold every socket), and closed with a goodbye at graceful
 * shutdown instead of cut (clients then reconnect to another instance).
 */
export class StreamRegistry {
  readonly #closers = new Set<() => void>();
  readonly #perToken = new Map<string, number>();
  readonly limits: StreamLimits;

  constructor(limits: Partial<StreamLimits> = {}) {
    this.limits = { ...UNLIMITED, ...limits };
  }

  /** Throws 429 when the token already holds its maximum of streams, 503 when the instance does. */
  admit(tokenKey: string): void {
    const mine = this.#perToken.get(tokenKey) ?? 0;
    if (mine >= this.limits.perToken)
      throw apiErrors.YJ_ERR_API_RATE_LIMITED(
        `this token already has ${mine} open streams (at most ${this.limits.perToken}); close one first`,
      );
    if (this.#closers.size >= this.limits.total)
      throw apiErrors.YJ_ERR_API_STREAMS_FULL(`this instance holds ${this.#closers.size} open streams`);
  }

  /** Registers an open stream; the returned function unregisters it (idempotent). */
  add(close: () => void, tokenKey = ''): () => void {
    this.#closers.add(close);
    this.#perToken.set(tokenKey, (this.#perToken.get(tokenKey) ?? 0) + 1);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#closers.delete(close);
      const n = (this.#perToken.get(tokenKey) ?? 1) - 1;
      if (n <= 0) this.#perToken.delete(tokenKey);
      else this.#perToken.set(tokenKey, n);
    };
  }

  get size(): number {
    return this.#closers.size;
  }

  /** True when a stream with this much unsent data should be dropped. */
  tooSlow(bufferedBytes: number): boolean {
    return bufferedBytes > this.limits.maxBufferedBytes;
  }

  closeAll(): void {
    for (const close of [...this.#closers]) {
      try {
        close();
      } catch {
        // a socket that is already gone needs no goodbye
      }
    }
    this.#closers.clear();
    this.#perToken.clear();
  }
}
