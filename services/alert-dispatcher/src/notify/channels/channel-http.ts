import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { AddressPolicy } from '../../ssrf-guard';
import { guardedLookup } from '../../webhook-sender';

/**
 * One HTTP POST of a channel request, returning status and (bounded) body, since robot and SMS
 * providers answer errors inside a 200 JSON body. Same guard as webhooks: a timeout over the
 * whole exchange, no redirects, the target resolved through the SSRF policy at connect time.
 */

export type HttpExchange =
  | { ok: true; status: number; body: string; latencyMs: number }
  | { ok: false; forbidden: boolean; error: string; latencyMs: number };

const MAX_BODY = 16 * 1024;

export function postRequest(req: {
  url: string;
  body: string;
  contentType: string;
  timeoutMs: number;
  policy: AddressPolicy;
  /** Refuse plain http (robot URLs outside development, like webhooks). */
  requireHttps?: boolean;
}): Promise<HttpExchange> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return Promise.resolve({ ok: false, forbidden: true, error: 'invalid URL', latencyMs: 0 });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.resolve({
      ok: false,
      forbidden: true,
      error: `unsupported protocol ${url.protocol}`,
      latencyMs: 0,
    });
  if (req.requireHttps && url.protocol !== 'https:')
    return Promise.resolve({
      ok: false,
      forbidden: true,
      error: 'plain http robot URL refused outside development (NODE_ENV=production): use https',
      latencyMs: 0,
    });
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0) {
    const verdict = req.policy.check(literal);
    if (!verdict.allowed)
      return Promise.resolve({ ok: false, forbidden: true, error: verdict.reason, latencyMs: 0 });
  }
  const body = Buffer.from(req.body, 'utf8');
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': req.contentType,
          'content-length': String(body.length),
          'user-agent': 'yujing-alert-dispatcher/1',
        },
        lookup: guardedLookup(req.policy),
        signal: AbortSignal.timeout(req.timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        });
        res.on('error', (err) =>
          resolve({ ok: false, forbidden: false, error: err.message, latencyMs: elapsed() }),
        );
        res.on('close', () =>
          resolve({
            ok: false,
            forbidden: false,
            error: 'response closed before its end',
            latencyMs: elapsed(),
          }),
        );
        res.on('end', () =>
          resolve({
            ok: true,
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
            latencyMs: elapsed(),
          }),
        );
      },
    );
    request.on('error', (err: Error & { code?: string }) => {
      const forbidden = err.code === 'YJ_FORBIDDEN_TARGET';
      const reason =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `timeout after ${req.timeoutMs} ms`
          : err.message || err.code || 'request failed';
      resolve({ ok: false, forbidden, error: reason.slice(0, 500), latencyMs: elapsed() });
    });
    request.end(body);
  });
}

/** A JSON body, or undefined if the text is not JSON. */
export function jsonBody(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
