import type { Logger } from '@yujing/logger';

/** Thrown when a delivery was abandoned (shutdown, HTTP deadline) before Kafka acknowledged it. */
export class DeliveryAbandoned extends Error {
  constructor(reason: string) {
    super(`delivery abandoned: ${reason}`);
    this.name = 'DeliveryAbandoned';
  }
}

/**
 * Runs `send` until it resolves: a Kafka outage makes it wait (capped exponential backoff with
 * jitter), never drop. Gives up only when `signal` aborts or `shouldStop()` turns true (a
 * revoked partition). This is the back-pressure point of both ingest services: the caller does
 * not acknowledge its input (PUBACK, HTTP 202, offset commit), and so takes no more, meanwhile.
 */
export async function deliverUntilAcked<T>(
  send: () => Promise<T>,
  opts: {
    signal?: AbortSignal;
    shouldStop?: () => boolean;
    logger: Logger;
    onRetry?: () => void;
    what: string;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw new DeliveryAbandoned(String(opts.signal.reason ?? 'aborted'));
    if (opts.shouldStop?.()) throw new DeliveryAbandoned('stopped');
    try {
      return await send();
    } catch (err) {
      opts.onRetry?.();
      if (attempt === 1 || attempt % 10 === 0)
        opts.logger.warn({ err, attempt, what: opts.what }, 'Kafka produce failed; retrying');
      const backoffMs = Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      await pause(backoffMs, opts.signal);
    }
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
