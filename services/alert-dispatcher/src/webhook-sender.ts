import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressPolicy } from './ssrf-guard';

/**
 * One HTTP POST of a webhook. Bounded by a timeout over the whole exchange; redirects are never
 * followed (a 3xx is a failed attempt); the target host is resolved at connect time through the
 * SSRF guard, so a name cannot re-resolve to a forbidden address after the check.
 */

export type SendOutcome =
  | { kind: 'delivered'; httpStatus: number; latencyMs: number }
  | { kind: 'failed'; httpStatus: number | null; latencyMs: number; error: string }
  /** Never sent: the target is forbidden (SSRF guard) or not a valid http(s) URL. Retrying cannot help. */
  | { kind: 'rejected'; latencyMs: number; error: string };

export interface SendRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: AddressPolicy;
  /** Refuse plain http (outside development, see webhookRequiresHttps). */
  requireHttps?: boolean;
}

class ForbiddenTargetError extends Error {
  readonly code = 'YJ_FORBIDDEN_TARGET';
}

/** A dns.lookup that refuses addresses the policy forbids (every address of the name must pass). */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const verdict = policy.check(a.address);
        if (!verdict.allowed)
          return callback(new ForbiddenTargetError(`${hostname}: ${verdict.reason}`), '', 0);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname}: no address`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

const MAX_ERROR_BODY = 512;

export async function sendWebhook(req: SendRequest): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { kind: 'rejected', latencyMs: elapsed(), error: 'invalid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { kind: 'rejected', latencyMs: elapsed(), error: `unsupported protocol ${url.protocol}` };
  }
  if (req.requireHttps && url.protocol !== 'https:') {
    return {
      kind: 'rejected',
      latencyMs: elapsed(),
      error: 'plain http webhook URL refused outside development (NODE_ENV=production): use https',
    };
  }
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0) {
    // Node skips the lookup for IP literals, so the guard runs here for them.
    const verdict = req.policy.check(literal);
    if (!verdict.allowed) return { kind: 'rejected', latencyMs: elapsed(), error: verdict.reason };
  }
  const transport = url.protocol === 'https:' ? https : http;
  const body = Buffer.from(req.body, 'utf8');
  return new Promise<SendOutcome>((resolve) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          ...req.headers,
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(body.length),
          'user-agent': 'yujing-alert-dispatcher/1',
        },
        lookup: guardedLookup(req.policy),
        signal: AbortSignal.timeout(req.timeoutMs),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_ERROR_BODY) chunks.push(c);
          size += c.length;
        });
        res.on('error', (err) =>
          resolve({ kind: 'failed', httpStatus: status, latencyMs: elapsed(), error: err.message }),
        );
        // A response cut off before its end (timeout, reset) still settles the attempt; after 'end' this is a no-op.
        res.on('close', () =>
          resolve({
            kind: 'failed',
            httpStatus: status,
            latencyMs: elapsed(),
            error: 'response closed before its end',
          }),
        );
        res.on('end', () => {
          if (status >= 200 && status < 300)
            return resolve({ kind: 'delivered', httpStatus: status, latencyMs: elapsed() });
          const text = Buffer.concat(chunks)
            .toString('utf8')
            .slice(0, MAX_ERROR_BODY)
            .replace(/\s+/g, ' ')
            .trim();
          const what =
            status >= 300 && status < 400
              ? `redirect to ${res.headers.location ?? '?'} not followed`
              : 'not 2xx';
          resolve({
            kind: 'failed',
            httpStatus: status,
            latencyMs: elapsed(),
            error: `HTTP ${status} (${what})${text ? `: ${text}` : ''}`.slice(0, 500),
          });
        });
      },
    );
    request.on('error', (err: Error & { code?: string }) => {
      if (err instanceof ForbiddenTargetError || err.code === 'YJ_FORBIDDEN_TARGET') {
        return resolve({ kind: 'rejected', latencyMs: elapsed(), error: err.message });
      }
      const reason =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `timeout after ${req.timeoutMs} ms`
          : err.message || err.code || 'request failed';
      resolve({ kind: 'failed', httpStatus: null, latencyMs: elapsed(), error: reason.slice(0, 500) });
    });
    request.end(body);
  });
}
