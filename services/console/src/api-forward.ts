import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from '@yujing/logger';
import type { FastifyInstance } from 'fastify';
import type { Counter } from 'prom-client';
import { problemBody } from './console-errors';

/** Headers that belong to one connection, not to the request (RFC 9110 §7.6.1), plus host. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

export interface ApiForwardOptions {
  upstream: URL;
  logger: Logger;
  forwarded: Counter<'status'>;
}

/**
 * Forwards every `/api/*` request to operator-api byte for byte (bodies are streamed, not parsed;
 * SSE responses flow as they come), so the web app has one origin and the API stays the only
 * place that authenticates and authorises. Open exchanges are tracked so shutdown can end them
 * (a browser's EventSource-like reader then reconnects).
 */
export function installApiForward(app: FastifyInstance, opts: ApiForwardOptions): { open(): number } {
  const open = new Set<{ end(): void }>();
  app.addHook('preClose', async () => {
    for (const x of [...open]) x.end();
  });
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.all('/api/*', (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      const target = new URL(req.url, opts.upstream);
      const headers = forwardable(req.headers);
      headers['x-forwarded-for'] = req.ip;
      const up = request(target, { method: req.method, headers });
      const exchange = {
        end: () => {
          up.destroy();
          if (!res.writableEnded) res.end();
          open.delete(exchange);
        },
      };
      open.add(exchange);
      up.on('response', (upRes: IncomingMessage) => {
        opts.forwarded.inc({ status: String(upRes.statusCode ?? 0) });
        res.writeHead(upRes.statusCode ?? 502, forwardable(upRes.headers));
        // SSE: write each chunk as it arrives (no buffering by Node in between).
        res.flushHeaders();
        upRes.pipe(res);
        upRes.on('end', () => open.delete(exchange));
        upRes.on('error', () => exchange.end());
      });
      up.on('error', (err) => {
        open.delete(exchange);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        opts.forwarded.inc({ status: '502' });
        opts.logger.warn({ err: err.message, path: target.pathname }, 'operator-api unreachable');
        res.writeHead(502, { 'content-type': 'application/problem+json' });
        res.end(
          JSON.stringify(
            problemBody('YJ_ERR_CONSOLE_UPSTREAM', `operator-api is unreachable: ${err.message}`),
          ),
        );
      });
      res.on('close', () => {
        if (!res.writableFinished) up.destroy();
        open.delete(exchange);
      });
      const body = req.body as Readable | undefined;
      if (body && typeof body.pipe === 'function') body.pipe(up);
      else up.end();
    });
  });
  return { open: () => open.size };
}
