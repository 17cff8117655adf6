import { TELEMETRY_LIMITS } from '@yujing/schemas';

/** What one gateway message may be; everything outside goes to the dead letter with a reason. */
export interface IntakeLimits {
  /** Largest accepted message body in bytes (DESIGN §3: 1 MiB). */
  maxBytes: number;
  /** Most readings in one message (DESIGN §3: 5,000). */
  maxReadings: number;
  /** A reading older than this (relative to arrival) is rejected as timestamp-too-old: 7 days. */
  maxAgeMs: number;
  /** A reading further ahead than this (clock skew allowance) is rejected as timestamp-in-future: 5 minutes. */
  maxFutureMs: number;
}

export const DEFAULT_INTAKE_LIMITS: Readonly<IntakeLimits> = Object.freeze({
  maxBytes: TELEMETRY_LIMITS.maxBytes,
  maxReadings: TELEMETRY_LIMITS.maxReadings,
  maxAgeMs: 7 * 24 * 3_600_000,
  maxFutureMs: 5 * 60_000,
});
