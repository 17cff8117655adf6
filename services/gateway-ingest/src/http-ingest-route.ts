import type { Logger } from '@yujing/logger';
import { DeliveryAbandoned, type IntakeLimits, rejection } from '@yujing/telemetry-intake';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ingestErrors } from './ingest-errors';
import type { IngestMetrics } from './ingest-metrics';
import type { IngestPipeline, IngestResult } from './ingest-pipeline';
import { REASON_ERROR, sendProblem } from './problem-response';
import { bearerToken, type TokenIndex } from './token-index';

export interface HttpIngestOptions {
  pipeline: IngestPipeline;
  tokens: TokenIndex;
  limits: IntakeLimits;
  maxInFlight: number;
  produceTimeoutMs: number;
  metrics: IngestMetrics;
  logger: Logger;
  isStopping: () => boolean;
}

/** Bodies up to this size are read (and, past the 1 MiB limit, dead-lettered truncated); larger ones are refused unread. */
export const HTTP_BODY_HARD_LIMIT_BYTES = 2 * 1024 * 1024;

type Caller = { enterpriseId: string; gatewayId: string };
const callers = new WeakMap<FastifyRequest, Caller>();

/**
 * `POST /ingest/v1/telemetry`: the gateway's bearer token (sha256 in the registry) decides the
 * enterprise and gateway; the body is the native v1 message. 202 only once Kafka has the batch;
 * problem+json otherwise (401, 403, 413, 400, 422, 503 — see docs/ingestion.md).
 */
export async function registerHttpIngest(app: FastifyInstance, opts: HttpIngestOptions): Promise<void> {
  let inFlight = 0;
  await app.register(async (scope) => {
    // JSON only: Fastify's default text/plain parser would hand the route a string (taken for an
    // empty body, 400 and an empty dead letter); any other type is now 415 (bad-input fuzzer)
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        opts.metrics.rejects.inc({ source: 'http', reason: 'oversize' });
        return sendProblem(
          reply,
          ingestErrors.YJ_ERR_INGEST_OVERSIZE,
          `body larger than ${HTTP_BODY_HARD_LIMIT_BYTES} bytes`,
          {
            reason: 'oversize',
          },
        );
      }
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return sendProblem(
          reply,
          ingestErrors.YJ_ERR_INGEST_UNSUPPORTED_MEDIA,
          'send Content-Type: application/json',
        );
      }
      opts.logger.error({ err }, 'ingest request failed');
      return reply
        .code(err.statusCode && err.statusCode >= 400 ? err.statusCode : 500)
        .send({ error: err.message });
    });

    scope.post(
      '/ingest/v1/telemetry',
      {
        bodyLimit: HTTP_BODY_HARD_LIMIT_BYTES,
        // Authenticate before the body is read: anonymous bytes are neither buffered nor dead-lettered.
        onRequest: async (req, reply) => {
          const token = bearerToken(req.headers.authorization);
          const caller = token ? opts.tokens.lookup(token) : undefined;
          if (!caller) {
            opts.metrics.messages.inc({ source: 'http', outcome: 'unauthenticated' });
            return sendProblem(
              reply,
              ingestErrors.YJ_ERR_INGEST_UNAUTHENTICATED,
              token
                ? 'the bearer token matches no registered gateway'
                : 'send Authorization: Bearer <gateway token>',
              { headers: { 'www-authenticate': 'Bearer realm="yujing-ingest"' } },
            );
          }
          callers.set(req, caller);
        },
      },
      async (req, reply) => {
        const caller = callers.get(req)!;
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (opts.isStopping() || inFlight >= opts.maxInFlight) {
          opts.metrics.httpOverloaded.inc();
          return sendProblem(reply, ingestErrors.YJ_ERR_INGEST_OVERLOADED, `${inFlight} requests in flight`, {
            headers: { 'retry-after': '1' },
          });
        }
        const claimed = req.headers['x-yujing-enterprise'];
        const context = { enterpriseId: caller.enterpriseId, gatewayId: caller.gatewayId, remote: req.ip };
        inFlight++;
        const abort = new AbortController();
        try {
          if (typeof claimed === 'string' && claimed !== caller.enterpriseId) {
            const r = rejection(
              'wrong-enterprise',
              `token of enterprise ${caller.enterpriseId} used for enterprise ${claimed}`,
              [
                {
                  path: 'header:x-yujing-enterprise',
                  message: `expected ${caller.enterpriseId}`,
                  code: 'wrong-enterprise',
                },
              ],
            );
            await withDeadline(
              opts.pipeline.deadLetter(r, raw, 'http', { ...context, claimed }, abort.signal),
              abort,
              opts,
            );
            return sendProblem(reply, ingestErrors.YJ_ERR_INGEST_FORBIDDEN, r.message, {
              reason: r.reason,
              issues: r.issues,
            });
          }
          const work = opts.pipeline.ingest(
            raw,
            { source: 'http', ...caller },
            { remote: req.ip },
            abort.signal,
          );
          return answer(reply, await withDeadline(work, abort, opts));
        } catch (err) {
          if (!(err instanceof DeliveryAbandoned)) throw err;
          opts.metrics.httpOverloaded.inc();
          return sendProblem(
            reply,
            ingestErrors.YJ_ERR_INGEST_UNAVAILABLE,
            `Kafka did not acknowledge within ${opts.produceTimeoutMs} ms`,
            {
              headers: { 'retry-after': '5' },
            },
          );
        } finally {
          inFlight--;
        }
      },
    );
  });
}

function answer(reply: FastifyReply, result: IngestResult): FastifyReply {
  if (result.status === 'duplicate') return reply.code(202).send({ status: 'duplicate' });
  if (result.status === 'rejected') {
    const { reason, message, issues } = result.rejection;
    return sendProblem(reply, REASON_ERROR[reason], message, { reason, issues });
  }
  if (result.readings === 0) {
    const issues = result.rejections.flatMap((r) => r.issues);
    return sendProblem(
      reply,
      ingestErrors.YJ_ERR_INGEST_READINGS_REJECTED,
      result.rejections.map((r) => r.message).join(' | '),
      {
        reason: result.rejections[0]?.reason ?? 'schema',
        issues,
      },
    );
  }
  return reply.code(202).send({
    status: result.rejections.length > 0 ? 'partial' : 'accepted',
    readings: result.readings,
    rejected: result.rejections.map((r) => ({
      reason: r.reason,
      message: r.message,
      issues: r.issues.slice(0, 10),
    })),
  });
}

/** Waits for `work` up to the produce deadline; past it, aborts (the input is then not acknowledged). */
async function withDeadline<T>(
  work: Promise<T>,
  abort: AbortController,
  opts: HttpIngestOptions,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort('deadline');
      reject(new DeliveryAbandoned('deadline'));
    }, opts.produceTimeoutMs);
  });
  work.catch(() => undefined); // settles after the deadline too; its outcome is then irrelevant
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
