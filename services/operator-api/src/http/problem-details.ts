import { isYujingError } from '@yujing/errors';
import type { Logger } from '@yujing/logger';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrors } from '../api-errors';
import { redactUrl } from './redact-url';

/** RFC 9457 problem details with yujing's stable code and, for validation errors, zod issue paths. */
export const ProblemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('stable YJ_ERR_* code'),
    instance: z.string().optional(),
    issues: z
      .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
      .optional(),
  })
  .meta({ id: 'ProblemDetails' });
export type ProblemDetails = z.infer<typeof ProblemDetails>;

const TYPE_BASE = 'https://yujing.example/problems/';

export function sendProblem(
  reply: FastifyReply,
  p: Omit<ProblemDetails, 'type' | 'title'> & { title?: string },
): FastifyReply {
  const body: ProblemDetails = { type: `${TYPE_BASE}${p.code}`, title: p.title ?? p.code, ...p };
  return reply.code(p.status).type('application/problem+json').send(body);
}

/** Installs the error and not-found handlers: every error leaves as problem+json. */
export function installProblemHandlers(app: FastifyInstance, log: Logger): void {
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, {
      status: 404,
      code: apiErrors.YJ_ERR_API_NOT_FOUND.code,
      detail: `no route ${req.method} ${req.url.split('?')[0]}`,
    }),
  );
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'request';
      const issues = err.validation.map((v) => ({
        path: [where, ...v.instancePath.split('/').filter((s) => s.length > 0)].join('.'),
        message: v.message ?? 'invalid',
        code: v.keyword,
      }));
      return sendProblem(reply, {
        status: 400,
        code: apiErrors.YJ_ERR_API_VALIDATION.code,
        title: 'validation failed',
        detail: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
        issues,
      });
    }
    if (isYujingError(err)) {
      if (err.statusCode >= 500)
        log.error({ err, code: err.code, url: redactUrl(req.url) }, 'request failed');
      const issues = (err.context as { issues?: ProblemDetails['issues'] }).issues;
      return sendProblem(reply, {
        status: err.statusCode,
        code: err.code,
        detail: err.message,
        ...(Array.isArray(issues) ? { issues } : {}),
      });
    }
    if (err.statusCode === 429) {
      return sendProblem(reply, {
        status: 429,
        code: apiErrors.YJ_ERR_API_RATE_LIMITED.code,
        detail: err.message,
      });
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (bad JSON body, unsupported media type, body too large …).
      return sendProblem(reply, {
        status: err.statusCode,
        code: apiErrors.YJ_ERR_API_VALIDATION.code,
        detail: err.message,
      });
    }
    log.error({ err, url: redactUrl(req.url) }, 'unhandled error');
    return sendProblem(reply, {
      status: 500,
      code: apiErrors.YJ_ERR_API_INTERNAL.code,
      detail: 'internal error',
    });
  });
}
