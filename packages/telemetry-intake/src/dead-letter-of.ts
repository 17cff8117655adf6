import type { Rejection } from './reject-reason';

/** Shape of @yujing/kafka's DeadLetterInput, kept structural so this package stays free of Kafka. */
export interface DeadLetterFields {
  source: string;
  reason: string;
  message: string;
  issues: { path: string; message: string; code: string }[];
  context: Record<string, string>;
  raw: Buffer;
  receivedAt: number;
}

/** Dead letters keep the first bytes only of oversize input (a record must fit Kafka's 1 MiB default). */
export const DEAD_LETTER_RAW_LIMIT_BYTES = 256 * 1024;

/**
 * The dead letter for a rejection: source, reason, issue paths, the raw bytes (truncated to
 * DEAD_LETTER_RAW_LIMIT_BYTES with `context.truncated` and `context.bytes` when larger) and
 * identifying context (enterprise, gateway, topic … never credentials).
 */
export function deadLetterOf(
  rejection: Rejection,
  source: string,
  raw: Buffer,
  receivedAt: number,
  context: Record<string, string | number | undefined> = {},
): DeadLetterFields {
  const ctx: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) if (v !== undefined) ctx[k] = String(v);
  let bytes = raw;
  if (raw.length > DEAD_LETTER_RAW_LIMIT_BYTES) {
    bytes = raw.subarray(0, DEAD_LETTER_RAW_LIMIT_BYTES);
    ctx.truncated = 'true';
    ctx.bytes = String(raw.length);
  }
  // Cap the issue list: a 5,000-reading message with every reading bad stays a small record.
  const issues = rejection.issues.slice(0, 200);
  if (rejection.issues.length > issues.length)
    ctx.issuesOmitted = String(rejection.issues.length - issues.length);
  return {
    source,
    reason: rejection.reason,
    message: rejection.message,
    issues,
    context: ctx,
    raw: bytes,
    receivedAt,
  };
}
