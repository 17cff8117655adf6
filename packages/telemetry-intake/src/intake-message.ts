import { type IngestSource, issuesToRecords, type ReadingBatch } from '@yujing/schemas';
import { toEpochMs } from './epoch-time';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './intake-limits';
import type { IntakeRegistry } from './intake-registry';
import { Envelope, fastEnvelope } from './message-envelope';
import { acceptReading, checkReading } from './reading-check';
import { type IntakeIssue, type Rejection, type RejectReason, rejection } from './reject-reason';

/** Who is speaking, as established by the transport (MQTT topic, HTTP token, Kafka key/header). */
export interface IntakeContext {
  source: IngestSource;
  /** The enterprise the transport vouches for (topic segment, token owner, record key/header). */
  enterpriseId: string;
  /** The gateway the transport vouches for; the body's gatewayId must match it when set. */
  gatewayId?: string;
  receivedAt: number;
}

export type IntakeOutcome =
  | { ok: false; rejection: Rejection; gatewayId?: string; seq?: number }
  | {
      ok: true;
      gatewayId: string;
      seq: number;
      sentAt: number;
      /** The valid readings as one batch; undefined when every reading was rejected. */
      batch: ReadingBatch | undefined;
      /** Rejected readings grouped by reason (one dead letter each). */
      rejections: Rejection[];
      readingCount: number;
    };

/**
 * Validates one native v1 message and normalises its valid readings into a ReadingBatch.
 * Whole-message rejections: oversize, invalid-json, schema (envelope), unknown-enterprise,
 * wrong-enterprise, wrong-gateway, unknown-gateway, and a sentAt outside the reading window
 * (timestamp-too-old / timestamp-in-future, issue path `sentAt`). Per-reading rejections (the rest of the
 * message is kept): schema, non-finite, unknown-point, timestamp-too-old, timestamp-in-future.
 * Pure: no I/O, the arrival time comes from the context.
 */
export function intakeMessage(
  input: Buffer | unknown,
  ctx: IntakeContext,
  registry: IntakeRegistry,
  limits: IntakeLimits = DEFAULT_INTAKE_LIMITS,
): IntakeOutcome {
  let body: unknown = input;
  if (Buffer.isBuffer(input)) {
    if (input.length > limits.maxBytes) {
      return fail('oversize', `message is ${input.length} bytes, the limit is ${limits.maxBytes}`);
    }
    try {
      body = JSON.parse(input.toString('utf8'));
    } catch (err) {
      return fail('invalid-json', `body is not JSON: ${(err as Error).message}`);
    }
  }
  const readingsField = (body as { readings?: unknown } | null)?.readings;
  if (Array.isArray(readingsField) && readingsField.length > limits.maxReadings) {
    return fail(
      'oversize',
      `message has ${readingsField.length} readings, the limit is ${limits.maxReadings}`,
      [{ path: 'readings', message: `at most ${limits.maxReadings} readings per message`, code: 'too_big' }],
    );
  }
  let m = fastEnvelope(body);
  if (m === undefined) {
    const env = Envelope.safeParse(body);
    if (!env.success) {
      const issues = issuesToRecords(env.error.issues);
      return fail('schema', `message does not match the native v1 format: ${summary(issues)}`, issues);
    }
    m = env.data;
  }
  const enterpriseId = ctx.enterpriseId;
  const ids = { gatewayId: m.gatewayId, seq: m.seq };
  if (m.enterpriseId !== undefined && m.enterpriseId !== enterpriseId) {
    return fail(
      'wrong-enterprise',
      `message claims enterprise ${m.enterpriseId} but arrived for ${enterpriseId}`,
      [{ path: 'enterpriseId', message: `expected ${enterpriseId}`, code: 'wrong-enterprise' }],
      ids,
    );
  }
  if (ctx.gatewayId !== undefined && m.gatewayId !== ctx.gatewayId) {
    return fail(
      'wrong-gateway',
      `message claims gateway ${m.gatewayId} but arrived for ${ctx.gatewayId}`,
      [{ path: 'gatewayId', message: `expected ${ctx.gatewayId}`, code: 'wrong-gateway' }],
      ids,
    );
  }
  if (!registry.enterprise(enterpriseId)) {
    return fail('unknown-enterprise', `enterprise ${enterpriseId} is not registered`, [], ids);
  }
  if (!registry.gateway(enterpriseId, m.gatewayId)) {
    return fail(
      'unknown-gateway',
      `gateway ${m.gatewayId} is not registered for enterprise ${enterpriseId}`,
      [{ path: 'gatewayId', message: 'unknown gateway', code: 'unknown-gateway' }],
      ids,
    );
  }

  // The same window as a reading's ts: outside it, sentAt (replay identity, batch field) is not
  // a time this gateway could have sent at, and yj.readings.v1 would refuse it downstream.
  const sentAt = toEpochMs(m.sentAt);
  const { receivedAt } = ctx;
  if (!(sentAt >= receivedAt - limits.maxAgeMs)) {
    return fail(
      'timestamp-too-old',
      `sentAt ${String(m.sentAt)} is more than ${limits.maxAgeMs} ms before arrival`,
      [{ path: 'sentAt', message: `older than ${limits.maxAgeMs} ms`, code: 'timestamp-too-old' }],
      ids,
    );
  }
  if (sentAt > receivedAt + limits.maxFutureMs) {
    return fail(
      'timestamp-in-future',
      `sentAt ${String(m.sentAt)} is more than ${limits.maxFutureMs} ms after arrival (gateway clock?)`,
      [{ path: 'sentAt', message: `more than ${limits.maxFutureMs} ms ahead`, code: 'timestamp-in-future' }],
      ids,
    );
  }

  const readings: ReadingBatch['readings'] = [];
  const byReason = new Map<RejectReason, IntakeIssue[]>();
  for (let i = 0; i < m.readings.length; i++) {
    const raw = m.readings[i];
    const accepted = acceptReading(raw, enterpriseId, receivedAt, registry, limits);
    if (accepted !== undefined) {
      readings.push(accepted);
      continue;
    }
    const verdict = checkReading(raw, i, enterpriseId, receivedAt, registry, limits);
    if (verdict.ok) {
      readings.push(verdict.reading);
    } else {
      // appended in place: copying the list per rejected reading was quadratic in a bad message
      const issues = byReason.get(verdict.reason);
      if (issues === undefined) byReason.set(verdict.reason, verdict.issues);
      else for (const issue of verdict.issues) issues.push(issue);
    }
  }
  const rejections = [...byReason].map(([reason, issues]) =>
    rejection(
      reason,
      `${countReadings(issues)} of ${m.readings.length} readings rejected (${reason}): ${summary(issues)}`,
      issues,
    ),
  );
  const batch: ReadingBatch | undefined =
    readings.length === 0
      ? undefined
      : {
          v: 1,
          enterpriseId,
          gatewayId: m.gatewayId,
          seq: m.seq,
          source: ctx.source,
          sentAt,
          receivedAt: ctx.receivedAt,
          readings,
        };
  return {
    ok: true,
    gatewayId: m.gatewayId,
    seq: m.seq,
    sentAt,
    batch,
    rejections,
    readingCount: m.readings.length,
  };
}

function fail(
  reason: RejectReason,
  message: string,
  issues: IntakeIssue[] = [],
  ids: { gatewayId?: string; seq?: number } = {},
): IntakeOutcome {
  return { ok: false, rejection: rejection(reason, message, issues), ...ids };
}

/** The first three issues as "path: message", for logs, dead-letter messages and problem+json titles. */
export function summary(issues: readonly IntakeIssue[], max = 3): string {
  const shown = issues.slice(0, max).map((i) => `${i.path}: ${i.message}`);
  return issues.length > max ? `${shown.join('; ')}; … ${issues.length - max} more` : shown.join('; ');
}

function countReadings(issues: readonly IntakeIssue[]): number {
  return new Set(issues.map((i) => i.path.split('.').slice(0, 2).join('.'))).size;
}
