import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { visibleTo } from '../auth/alarm-scope';
import type { FeedEvent } from '../feed/alarm-event-hub';
import type { StreamRegistry } from '../feed/stream-registry';
import { errorResponses, levelCsv } from '../http/api-schemas';
import { authorize } from '../http/auth-hook';
import type { RouteContext } from '../route-context';

const StreamQuery = z.object({
  enterprise: z.string().min(1).max(64).optional(),
  region: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  level: levelCsv.optional(),
  access_token: z
    .string()
    .optional()
    .describe('bearer token for clients that cannot set headers (EventSource, browser WebSocket)'),
  lastEventId: z
    .string()
    .optional()
    .describe('resume point for WebSocket clients (SSE uses the Last-Event-ID header)'),
});

type Filter = (e: FeedEvent) => boolean;

/**
 * Live alarm transitions as Server-Sent Events (`GET /api/v1/stream/alarms`) and over a
 * WebSocket (`/api/v1/ws/alarms`), filtered by the caller's scope on the server. Each event
 * carries id `<bootId>-<n>`; a client resuming with an id this instance no longer (or never)
 * held gets a `reload` event and should re-read `/api/v1/alarms`.
 */
export const streamRoutes =
  (ctx: RouteContext, streams: StreamRegistry): FastifyPluginAsyncZod =>
  async (app) => {
    const filterFor = (
      req: { principal: unknown; query: z.infer<typeof StreamQuery> },
      scope: Parameters<typeof visibleTo>[1],
    ): Filter => {
      const visible = visibleTo(ctx.registry, scope, {
        enterprise: req.query.enterprise,
        region: req.query.region,
      });
      const levels = req.query.level ? new Set<number>(req.query.level) : undefined;
      return (e) => visible(e.event.enterpriseId) && (!levels || levels.has(e.event.level));
    };

    app.get(
      '/stream/alarms',
      {
        schema: {
          tags: ['streams'],
          summary: 'Server-Sent Events of alarm transitions in the caller’s scope, with Last-Event-ID resume',
          querystring: StreamQuery,
          headers: z.object({ 'last-event-id': z.string().optional() }).passthrough(),
          response: {
            200: z
              .string()
              .describe('text/event-stream: events "alarm" (data = AlarmTransition JSON) and "reload"'),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const p = authorize(req, 'read');
        streams.admit(p.tokenKey);
        const keep = filterFor(req, p.scope);
        const lastEventId = (req.headers['last-event-id'] as string | undefined) ?? req.query.lastEventId;
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write(`retry: 2000\n: stream ${ctx.hub.bootId}\n\n`);
        // A reader that does not keep up is dropped (it reconnects and resumes with Last-Event-ID)
        // rather than buffered without bound in this process.
        const write = (chunk: string) => {
          if (res.destroyed) return;
          res.write(chunk);
          if (streams.tooSlow(res.writableLength)) {
            ctx.log.warn({ actor: p.id, buffered: res.writableLength }, 'slow SSE reader dropped');
            res.destroy(); // 'close' (below) then unsubscribes
          }
        };
        const send = (e: FeedEvent) => {
          if (keep(e)) write(`id: ${e.id}\nevent: alarm\ndata: ${JSON.stringify(e.event)}\n\n`);
        };
        // Replay and subscribe in the same tick: the hub publishes synchronously, so nothing falls in between.
        const unsubscribe = ctx.hub.subscribe(send);
        if (lastEventId) {
          const resume = ctx.hub.since(lastEventId);
          if (resume.kind === 'reload')
            write(`event: reload\ndata: ${JSON.stringify({ reason: resume.reason })}\n\n`);
          else for (const e of resume.events) send(e);
        }
        const heartbeat = setInterval(() => write(': keep-alive\n\n'), ctx.heartbeatMs);
        const end = () => {
          clearInterval(heartbeat);
          unsubscribe();
          removeStream();
        };
        const removeStream = streams.add(() => {
          res.write('event: shutdown\ndata: {}\n\n');
          res.end();
          end();
        }, p.tokenKey);
        req.raw.on('close', end);
        res.on('close', end);
        if (res.destroyed) end();
      },
    );

    app.get(
      '/ws/alarms',
      {
        websocket: true,
        schema: {
          tags: ['streams'],
          summary: 'WebSocket of alarm transitions in the caller’s scope (JSON messages {id, type, alarm})',
          querystring: StreamQuery,
        },
        // Before the upgrade, so a refused client gets a plain HTTP 401/403/429/503.
        preHandler: async (req) => {
          streams.admit(authorize(req, 'read').tokenKey);
        },
      },
      (socket, req) => {
        const p = authorize(req, 'read');
        const keep = filterFor(req as never, p.scope);
        // A reader that does not keep up is cut off (it reconnects with lastEventId), not buffered here.
        const send = (e: FeedEvent) => {
          if (!keep(e) || socket.readyState !== socket.OPEN) return;
          socket.send(JSON.stringify({ id: e.id, type: 'alarm', alarm: e.event }));
          if (streams.tooSlow(socket.bufferedAmount)) {
            ctx.log.warn({ actor: p.id, buffered: socket.bufferedAmount }, 'slow WebSocket reader dropped');
            socket.terminate();
          }
        };
        const unsubscribe = ctx.hub.subscribe(send);
        const lastEventId = (req.query as z.infer<typeof StreamQuery>).lastEventId;
        socket.send(JSON.stringify({ type: 'hello', stream: ctx.hub.bootId }));
        if (lastEventId) {
          const resume = ctx.hub.since(lastEventId);
          if (resume.kind === 'reload')
            socket.send(JSON.stringify({ type: 'reload', reason: resume.reason }));
          else for (const e of resume.events) send(e);
        }
        const heartbeat = setInterval(() => socket.ping(), ctx.heartbeatMs);
        const removeStream = streams.add(() => socket.close(1001, 'server shutting down'), p.tokenKey);
        socket.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
          removeStream();
        });
      },
    );
  };
