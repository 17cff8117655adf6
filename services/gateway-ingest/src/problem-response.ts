import type { ErrorFactory } from '@yujing/errors';
import type { IntakeIssue, RejectReason } from '@yujing/telemetry-intake';
import type { FastifyReply } from 'fastify';
import { ingestErrors } from './ingest-errors';

/** Which HTTP answer each rejection reason gets. */
export const REASON_ERROR: Record<RejectReason, ErrorFactory> = {
  oversize: ingestErrors.YJ_ERR_INGEST_OVERSIZE,
  'invalid-json': ingestErrors.YJ_ERR_INGEST_INVALID_JSON,
  schema: ingestErrors.YJ_ERR_INGEST_SCHEMA,
  'non-finite': ingestErrors.YJ_ERR_INGEST_SCHEMA,
  'timestamp-too-old': ingestErrors.YJ_ERR_INGEST_READINGS_REJECTED,
  'timestamp-in-future': ingestErrors.YJ_ERR_INGEST_READINGS_REJECTED,
  'unknown-enterprise': ingestErrors.YJ_ERR_INGEST_UNKNOWN_ENTITY,
  'unknown-gateway': ingestErrors.YJ_ERR_INGEST_UNKNOWN_ENTITY,
  'unknown-point': ingestErrors.YJ_ERR_INGEST_UNKNOWN_ENTITY,
  'wrong-enterprise': ingestErrors.YJ_ERR_INGEST_FORBIDDEN,
  'wrong-gateway': ingestErrors.YJ_ERR_INGEST_FORBIDDEN,
  'unsupported-format': ingestErrors.YJ_ERR_INGEST_SCHEMA,
  'qos0-overload': ingestErrors.YJ_ERR_INGEST_OVERLOADED, // MQTT only
};

/** Issues shown in a problem body (the dead letter has them all). */
const MAX_ISSUES = 10;

/**
 * Sends an RFC 9457 problem+json: stable `code`, `reason` (the dead-letter reason), and the first
 * issues with their paths so a gateway developer sees exactly what to fix.
 */
export function sendProblem(
  reply: FastifyReply,
  error: ErrorFactory,
  detail: string,
  extra: { reason?: RejectReason; issues?: readonly IntakeIssue[]; headers?: Record<string, string> } = {},
): FastifyReply {
  const { statusCode, message } = error.definition;
  for (const [k, v] of Object.entries(extra.headers ?? {})) reply.header(k, v);
  return reply
    .code(statusCode)
    .type('application/problem+json')
    .send({
      type: `urn:yujing:problem:${error.code}`,
      title: message,
      status: statusCode,
      code: error.code,
      detail,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.issues && extra.issues.length > 0 ? { issues: extra.issues.slice(0, MAX_ISSUES) } : {}),
    });
}
