import type { ChannelOutcome } from './channel-adapter';
import type { HttpExchange } from './channel-http';

/**
 * How an HTTP exchange with a provider becomes a channel outcome before its body is read:
 * network errors and timeouts, 5xx, 408 and 429 are worth retrying; other non-2xx answers and
 * forbidden targets are not. Returns undefined for a 2xx, whose body the adapter judges.
 */
export function transportOutcome(x: HttpExchange): ChannelOutcome | undefined {
  if (!x.ok)
    return {
      kind: 'failed',
      retryable: !x.forbidden,
      httpStatus: null,
      latencyMs: x.latencyMs,
      error: x.error,
    };
  if (x.status >= 200 && x.status < 300) return undefined;
  const retryable = x.status >= 500 || x.status === 408 || x.status === 429;
  const text = x.body.replace(/\s+/g, ' ').trim().slice(0, 300);
  return {
    kind: 'failed',
    retryable,
    httpStatus: x.status,
    latencyMs: x.latencyMs,
    error: `HTTP ${x.status}${text ? `: ${text}` : ''}`,
  };
}
