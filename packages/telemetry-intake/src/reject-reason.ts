/**
 * Why input was rejected: the `reason` of a `yj.deadletter.v1` record. Stable strings — dashboards
 * and replay tools filter on them (documented in docs/ingestion.md).
 */
export const REJECT_REASONS = [
  'oversize',
  'invalid-json',
  'schema',
  'unknown-enterprise',
  'unknown-gateway',
  'unknown-point',
  'wrong-enterprise',
  'wrong-gateway',
  'non-finite',
  'timestamp-too-old',
  'timestamp-in-future',
  'unsupported-format',
  /** MQTT QoS 0 beyond the per-gateway/total in-flight caps (gateway-ingest), dropped. */
  'qos0-overload',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** One problem, with the dotted path into the message (`readings.3.v`), as zod reports it. */
export interface IntakeIssue {
  path: string;
  message: string;
  code: string;
}

/** A rejected message or a group of rejected readings of one message sharing a reason. */
export interface Rejection {
  reason: RejectReason;
  message: string;
  issues: IntakeIssue[];
}

export function rejection(reason: RejectReason, message: string, issues: IntakeIssue[] = []): Rejection {
  return { reason, message, issues };
}
