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
 * jitter), never drop. Gives up only when `signal` aborts. This is the back-pressure point: the
 * caller does not acknowledge its input, and so does not take more, while this waits.
 */
export async function deliverUntilAcked<T>(
  send: () => Promise<T>,
  opts: { signal?: AbortSignal; logger: Logger; onRetry?: () => void; what: string },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw new DeliveryAbandoned(String(opts.signal.reason ?? 'aborted'));
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
