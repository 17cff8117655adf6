import { fastNativeReading, issuesToRecords, NativeReading, type NormalisedReading } from '@yujing/schemas';
import { toEpochMs } from './epoch-time';
import type { IntakeLimits } from './intake-limits';
import type { IntakeRegistry } from './intake-registry';
import type { IntakeIssue, RejectReason } from './reject-reason';

export type ReadingVerdict =
  | { ok: true; reading: NormalisedReading }
  | { ok: false; reason: RejectReason; issues: IntakeIssue[] };

/**
 * The normalised reading when the exact fast check, the registry and the time window all accept
 * it, else undefined: then `checkReading` decides (zod may still accept an edge case) and names
 * the reason. The common path of a message, with no verdict object per reading.
 */
export function acceptReading(
  raw: unknown,
  enterpriseId: string,
  receivedAt: number,
  registry: IntakeRegistry,
  limits: IntakeLimits,
): NormalisedReading | undefined {
  const r = fastNativeReading(raw);
  if (r === undefined) return undefined;
  const point = registry.point(enterpriseId, r.point);
  if (!point) return undefined;
  const ts = toEpochMs(r.ts);
  if (ts < receivedAt - limits.maxAgeMs || ts > receivedAt + limits.maxFutureMs) return undefined;
  return { point: r.point, kind: point.kind, ts, v: r.v, q: r.q };
}

/**
 * Validates and normalises one reading at index `index` of a message: schema, finite value,
 * point known in the enterprise (its kind comes from the registry), timestamp within
 * [receivedAt − maxAge, receivedAt + maxFuture]. Issue paths are rooted at the message.
 */
export function checkReading(
  raw: unknown,
  index: number,
  enterpriseId: string,
  receivedAt: number,
  registry: IntakeRegistry,
  limits: IntakeLimits,
): ReadingVerdict {
  // zod only when the exact fast check declines: it then accepts an edge case or names the issues
  let r = fastNativeReading(raw);
  if (r === undefined) {
    const parsed = NativeReading.safeParse(raw);
    if (!parsed.success) {
      const at = pathOf(index);
      const issues = issuesToRecords(parsed.error.issues).map((i) => ({
        ...i,
        path: i.path === '(root)' ? at : `${at}.${i.path}`,
      }));
      const v = (raw as { v?: unknown } | null)?.v;
      const nonFinite = typeof v === 'number' && !Number.isFinite(v);
      return { ok: false, reason: nonFinite ? 'non-finite' : 'schema', issues };
    }
    r = parsed.data;
  }
  const point = registry.point(enterpriseId, r.point);
  if (!point) {
    return {
      ok: false,
      reason: 'unknown-point',
      issues: [
        {
          path: `${pathOf(index)}.point`,
          message: `point ${r.point} is not registered for enterprise ${enterpriseId}`,
          code: 'unknown-point',
        },
      ],
    };
  }
  const ts = toEpochMs(r.ts);
  if (ts < receivedAt - limits.maxAgeMs) {
    return {
      ok: false,
      reason: 'timestamp-too-old',
      issues: [
        {
          path: `${pathOf(index)}.ts`,
          message: `timestamp ${new Date(ts).toISOString()} is more than ${limits.maxAgeMs} ms old`,
          code: 'timestamp-too-old',
        },
      ],
    };
  }
  if (ts > receivedAt + limits.maxFutureMs) {
    return {
      ok: false,
      reason: 'timestamp-in-future',
      issues: [
        {
          path: `${pathOf(index)}.ts`,
          message: `timestamp ${new Date(ts).toISOString()} is more than ${limits.maxFutureMs} ms in the future`,
          code: 'timestamp-in-future',
        },
      ],
    };
  }
  return { ok: true, reading: { point: r.point, kind: point.kind, ts, v: r.v, q: r.q } };
}

/** A reading's issue path, built only for a rejection (most readings pass, 140 a message). */
function pathOf(index: number): string {
  return `readings.${index}`;
}
