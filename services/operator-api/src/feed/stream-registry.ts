/**
 * The open SSE and WebSocket streams of this instance, so graceful shutdown can end them with a
 * goodbye instead of cutting the sockets (clients then reconnect to another instance).
 */
export class StreamRegistry {
  readonly #closers = new Set<() => void>();

  add(close: () => void): () => void {
    this.#closers.add(close);
    return () => this.#closers.delete(close);
  }

  get size(): number {
    return this.#closers.size;
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
  }
}
